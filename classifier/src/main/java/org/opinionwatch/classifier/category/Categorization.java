package org.opinionwatch.classifier.category;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The categories and sensitive domains of one post.
 *
 * @param categories every category whose lexicon matched, or only {@link ContentCategory#NEUTRAL}
 * @param primary the category whose playbook applies: the first of {@code categories} in the precedence of
 *     {@link ContentCategory} (attack, rumour, complaint, personal demand, inquiry, suggestion, praise, neutral)
 * @param domains the sensitive domains whose lexicon matched, possibly none
 * @param needsReply whether the post needs a reply (GENERAL) rather than being a mere mention (MINOR); true exactly
 *     when {@code primary} needs one, since every category that needs a reply outranks praise and neutral
 */
public record Categorization(Set<ContentCategory> categories, ContentCategory primary, Set<SensitiveDomain> domains,
                             boolean needsReply) {
    static Categorization of(EnumSet<ContentCategory> categories, EnumSet<SensitiveDomain> domains) {
        if (categories.isEmpty()) {
            categories = EnumSet.of(ContentCategory.NEUTRAL);
        }
        // An EnumSet iterates in declaration order, which is the order of precedence.
        ContentCategory primary = categories.iterator().next();
        return new Categorization(Collections.unmodifiableSet(categories), primary,
                Collections.unmodifiableSet(domains), primary.needsReply());
    }
}
