package org.opinionwatch.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One observation of a post ({@code posts.raw}, key: post id). A post is observed many times; each snapshot
 * carries the cumulative engagement seen at {@code observedAt}, which is the record's event time.
 *
 * @param repostOf the id of the post this one reposts, quotes or replies to, or null for an original post
 * @param mainstream whether the source is a mainstream outlet (a news organisation)
 * @param publishedAtUnknown whether the source gave no time that could be read for the post, so that
 *     {@code publishedAt} is its observation time; written only when true, so that a post/1 reader of any release
 *     reads every other post as before
 */
public record Post(
        String id,
        String source,
        String url,
        String title,
        String text,
        String author,
        Instant publishedAt,
        Instant observedAt,
        Engagement engagement,
        boolean mainstream,
        String repostOf,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean publishedAtUnknown) {

    public static final String SCHEMA = "post/1";
    /**
     * Header of a posts.raw record: the wall-clock instant (epoch milliseconds, decimal) at which ingest took the post
     * in. The classifier measures its latency from there: for a live post that is its observation, for a replayed one
     * the replay's publishing, never the archive's historical time.
     */
    public static final String INTAKE_HEADER = "ow-intake-ms";

    public Post {
        requireText(id, "id");
        requireText(source, "source");
        Objects.requireNonNull(observedAt, "observedAt is required");
        title = title == null ? "" : title;
        text = text == null ? "" : text;
        author = author == null ? "" : author;
        engagement = engagement == null ? Engagement.ZERO : engagement;
        publishedAt = publishedAt == null ? observedAt : publishedAt;
        if (repostOf != null && repostOf.isBlank()) {
            repostOf = null;
        }
    }

    /** A post whose publication time the source gave (or that has none other than its observation). */
    public Post(String id, String source, String url, String title, String text, String author, Instant publishedAt,
                Instant observedAt, Engagement engagement, boolean mainstream, String repostOf) {
        this(id, source, url, title, text, author, publishedAt, observedAt, engagement, mainstream, repostOf, false);
    }

    /** The original post of the story this post belongs to. */
    public String rootId() {
        return repostOf == null ? id : repostOf;
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
