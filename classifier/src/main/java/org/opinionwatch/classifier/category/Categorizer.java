package org.opinionwatch.classifier.category;

import java.util.EnumSet;
import java.util.List;

/**
 * Content categories and sensitive domains of a post, from the {@link Lexicons}: a post is in a category when its
 * title or text contains at least one word of that category's lexicon.
 *
 * <p>Matching is one {@code indexOf} pass per word, which is plenty for the few hundred words of these lexicons; the
 * subject matcher, which must stay fast with thousands of keywords, is where the automaton lives.
 */
public final class Categorizer {
    private final Lexicons lexicons;

    public Categorizer(Lexicons lexicons) {
        this.lexicons = lexicons;
    }

    /**
     * @param title the post's title, may be null or empty
     * @param text the post's text, may be null or empty
     */
    public Categorization categorize(String title, String text) {
        // Joined with a line break so that no word matches across the end of the title and the start of the text.
        String normalized = Lexicons.normalize(title) + "\n" + Lexicons.normalize(text);
        EnumSet<ContentCategory> categories = EnumSet.noneOf(ContentCategory.class);
        for (ContentCategory category : ContentCategory.values()) {
            if (containsAny(normalized, lexicons.words(category))) {
                categories.add(category);
            }
        }
        EnumSet<SensitiveDomain> domains = EnumSet.noneOf(SensitiveDomain.class);
        for (SensitiveDomain domain : SensitiveDomain.values()) {
            if (containsAny(normalized, lexicons.words(domain))) {
                domains.add(domain);
            }
        }
        return Categorization.of(categories, domains);
    }

    private static boolean containsAny(String text, List<String> words) {
        for (String word : words) {
            if (contains(text, word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chinese has no spaces between words, so a Chinese word matches anywhere. An English word must not start or end
     * inside a longer Latin word: "ask" is not in "task", "leak" is not in "bleak"; "refund" still matches "refunds"
     * only if the lexicon lists the plural, which is the price of that rule.
     */
    private static boolean contains(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            boolean startsClean = !isLatinLetter(word.charAt(0)) || at == 0 || !isLatinLetter(text.charAt(at - 1));
            boolean endsClean = !isLatinLetter(word.charAt(word.length() - 1)) || end == text.length()
                    || !isLatinLetter(text.charAt(end));
            if (startsClean && endsClean) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLatinLetter(char c) {
        return c < 0x80 && Character.isLetter(c);
    }
}
