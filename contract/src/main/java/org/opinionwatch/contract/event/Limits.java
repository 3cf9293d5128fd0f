package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * The bounds of the contract's fields. A post outside them is refused where it enters (the push endpoint, an
 * archive, a polled source) and again where it is published; text within them that is merely long is cut with
 * {@link #truncate} where it is copied into a derived event (a post reference, a notification), so that no output
 * record can outgrow the broker's maximum record size (1 MiB by default) whatever the posts say.
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
    /**
     * The latest event time of any post, archived or live: the wire format writes four-digit years. The earliest, and
     * how far ahead of the wall clock live input may be, are configuration ({@code ingest.limits}).
     */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** A post's title as a derived event quotes it ({@link PostRef}). */
    public static final int QUOTED_TITLE_CHARS = 200;
    /** Ends text that {@link #truncate} cut. */
    public static final String TRUNCATED = "…";

    private Limits() {
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
