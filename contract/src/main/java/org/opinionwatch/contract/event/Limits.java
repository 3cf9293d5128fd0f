package org.opinionwatch.contract.event;

/**
 * The bounds of the contract's fields. A post outside them is refused where it enters (the push endpoint, an
 * archive, a polled source), again where it is published, and by the classifier where it reads it ({@link #violation});
 * text within them that is merely long is cut with {@link #truncate} where it is copied into a derived event (a post
 * reference, a notification), so that no output record can outgrow the broker's maximum record size (1 MiB by
 * default) whatever the posts say. {@link #RECORD_BYTES} is the last line: no record of the contract's serde is larger.
 */
public final class Limits {
    /** A post's id, and the id it reposts. */
    public static final int ID_CHARS = 256;
    /** A source's id. */
    public static final int SOURCE_CHARS = 128;
    /** A post's URL: longer ones are not links a person follows. */
    public static final int URL_CHARS = 2048;
    public static final int TITLE_CHARS = 1_000;
    public static final int AUTHOR_CHARS = 256;
    /** A post's text: a long forum post with its first page of replies fits; 300 KB of UTF-8 at most. */
    public static final int TEXT_CHARS = 100_000;
    /** Any engagement count: no post is seen, commented or liked a trillion times. */
    public static final long COUNT = 1_000_000_000_000L;
    /** A post's title as a derived event quotes it ({@link PostRef}). */
    public static final int QUOTED_TITLE_CHARS = 200;
    /** A line a derived event quotes from people (an action's note in a timeline), or a subject's name. */
    public static final int QUOTED_LINE_CHARS = 300;
    /**
     * The largest record value the contract's serde writes: the producer's default max.request.size (1 MiB) less room
     * for the key, the headers and the batch's overhead. A larger one fails as it is serialized, before anything is
     * sent: under exactly-once a send the producer or the broker refuses aborts the whole transaction, which a
     * Kafka Streams stage would retry forever on the same input, whereas a serialization error is the record's own.
     */
    public static final int RECORD_BYTES = 1_000_000;
    /** Ends text that {@link #truncate} cut. */
    public static final String TRUNCATED = "…";

    private Limits() {
    }

    /** The first of {@code post}'s fields that is outside its bound, as a reason a person reads; null when none is. */
    public static String violation(Post post) {
        String text = tooLong("id", post.id(), ID_CHARS);
        text = text != null ? text : tooLong("repostOf", post.repostOf(), ID_CHARS);
        text = text != null ? text : tooLong("source", post.source(), SOURCE_CHARS);
        text = text != null ? text : tooLong("url", post.url(), URL_CHARS);
        text = text != null ? text : tooLong("title", post.title(), TITLE_CHARS);
        text = text != null ? text : tooLong("author", post.author(), AUTHOR_CHARS);
        text = text != null ? text : tooLong("text", post.text(), TEXT_CHARS);
        if (text != null) {
            return text;
        }
        Engagement e = post.engagement();
        long[] counts = {e.views(), e.comments(), e.reposts(), e.likes()};
        String[] names = {"views", "comments", "reposts", "likes"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > COUNT) {
                return "engagement." + names[i] + " is " + counts[i] + ", more than " + COUNT;
            }
        }
        return null;
    }

    private static String tooLong(String field, String value, int maxChars) {
        return value != null && value.length() > maxChars
                ? field + " has " + value.length() + " characters, more than " + maxChars : null;
    }

    /**
     * {@code text} cut to at most {@code maxChars} characters, the last of them {@link #TRUNCATED}, never splitting a
     * surrogate pair; null and short text unchanged.
     */
    public static String truncate(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - TRUNCATED.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(end, 0)) + TRUNCATED;
    }
}
