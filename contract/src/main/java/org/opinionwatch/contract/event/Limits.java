package org.opinionwatch.contract.event;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds of the contract's fields. A post outside them is refused where it enters (the push endpoint, an
 * archive, a polled source), again where it is published, and by the classifier where it reads it ({@link #violations});
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
    /**
     * The latest event time of any post, archived or live: the wire format writes four-digit years. The earliest, and
     * how far ahead of the wall clock live input may be, are configuration ({@code ingest.limits}).
     */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
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

    /** One field of a post outside its bound: the field's JSON name ({@code engagement.views} for a count) and why. */
    public record Violation(String field, String reason) {
        @Override
        public String toString() {
            return field + " " + reason;
        }
    }

    /**
     * Every field of {@code post} outside its bound, in the order of the fields; empty when it keeps to them all. The
     * times' bounds are not the contract's but configuration: ingest checks them ({@code ingest.limits}).
     */
    public static List<Violation> violations(Post post) {
        List<Violation> violations = new ArrayList<>();
        length(violations, "id", post.id(), ID_CHARS);
        length(violations, "source", post.source(), SOURCE_CHARS);
        if (post.url() != null) {
            length(violations, "url", post.url(), URL_CHARS);
            if (post.url().length() <= URL_CHARS && !isWebAddress(post.url())) {
                // Messages to people link to it: a javascript: or file: address must never reach them.
                violations.add(new Violation("url", "is not an absolute http or https URL"));
            }
        }
        length(violations, "title", post.title(), TITLE_CHARS);
        length(violations, "text", post.text(), TEXT_CHARS);
        length(violations, "author", post.author(), AUTHOR_CHARS);
        count(violations, "engagement.views", post.engagement().views());
        count(violations, "engagement.comments", post.engagement().comments());
        count(violations, "engagement.reposts", post.engagement().reposts());
        count(violations, "engagement.likes", post.engagement().likes());
        if (post.repostOf() != null) {
            length(violations, "repostOf", post.repostOf(), ID_CHARS);
        }
        return violations;
    }

    private static void length(List<Violation> violations, String field, String value, int maxChars) {
        if (value != null && value.length() > maxChars) {
            violations.add(new Violation(field, "has " + value.length() + " characters, more than the " + maxChars + " allowed"));
        }
    }

    private static void count(List<Violation> violations, String field, long count) {
        if (count > COUNT) {
            violations.add(new Violation(field, "is " + count + ", more than the " + COUNT + " allowed"));
        }
    }

    private static boolean isWebAddress(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
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
