package org.opinionwatch.contract.event;

/** An incident's engagement inside its trailing window: views, comments, distinct mainstream outlets. */
public record WindowMetrics(long views, long comments, int outlets) {
    public static final WindowMetrics ZERO = new WindowMetrics(0, 0, 0);

    public WindowMetrics minus(WindowMetrics earlier) {
        return new WindowMetrics(views - earlier.views, comments - earlier.comments, outlets - earlier.outlets);
    }
}
