package org.opinionwatch.classifier.category;

/**
 * What a post is, which decides the playbook (design, "Content category"). Declared in order of precedence, highest
 * first: a post in several categories is handled by the playbook of the first one (see {@link Categorization#primary()}).
 * An attack or a rumour comes first because it calls for publishing the facts and possibly a referral, which
 * outranks answering a complaint or a question in the same post.
 */
public enum ContentCategory {
    ATTACK("attack", true),
    RUMOUR("rumour", true),
    COMPLAINT("complaint", true),
    PERSONAL_DEMAND("personal-demand", true),
    INQUIRY("inquiry", true),
    SUGGESTION("suggestion", true),
    PRAISE("praise", false),
    /** No lexicon: the category of a post that matched none of the others. */
    NEUTRAL(null, false);

    private final String key;
    private final boolean needsReply;

    ContentCategory(String key, boolean needsReply) {
        this.key = key;
        this.needsReply = needsReply;
    }

    /** The lexicon's name in {@code lexicons.yaml} and in the config's {@code categories}; null for {@link #NEUTRAL}. */
    public String key() {
        return key;
    }

    /** The category's name in events and in the escalation's playbook: its lexicon's name, {@code neutral} for NEUTRAL. */
    public String label() {
        return key == null ? "neutral" : key;
    }

    /** The labels in order of precedence, highest first. */
    public static java.util.List<String> inPrecedence(java.util.Collection<String> labels) {
        return java.util.Arrays.stream(values()).map(ContentCategory::label).filter(labels::contains).toList();
    }

    /** GENERAL in the design ("posts that need a reply"); praise and neutral mentions are MINOR. */
    public boolean needsReply() {
        return needsReply;
    }
}
