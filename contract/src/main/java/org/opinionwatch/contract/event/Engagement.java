package org.opinionwatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A post's cumulative engagement as observed at one instant. Counts never go below zero. */
public record Engagement(long views, long comments, long reposts, long likes) {
    public static final Engagement ZERO = new Engagement(0, 0, 0, 0);

    public Engagement {
        if (views < 0 || comments < 0 || reposts < 0 || likes < 0) {
            throw new IllegalArgumentException("engagement counts must not be negative: " + views + "/" + comments + "/" + reposts + "/" + likes);
        }
    }

    /** Field-wise maximum: the highest count ever observed, so an older snapshot never lowers a count. */
    public Engagement max(Engagement other) {
        return new Engagement(Math.max(views, other.views), Math.max(comments, other.comments),
                Math.max(reposts, other.reposts), Math.max(likes, other.likes));
    }

    /** Field-wise difference to an earlier, lower-or-equal snapshot (see {@link #max}). */
    public Engagement minus(Engagement earlier) {
        return new Engagement(views - earlier.views, comments - earlier.comments,
                reposts - earlier.reposts, likes - earlier.likes);
    }

    @JsonIgnore
    public boolean isZero() {
        return equals(ZERO);
    }
}
