package org.opinionwatch.runtime.metrics;

/**
 * Whether a stage is ready to do its work, as its {@code GET /health} says: 200 when ready, 503 otherwise, with the
 * state either way ({@code RUNNING}, {@code REBALANCING}, {@code STARTING}, {@code BROKER_UNREACHABLE}, ...).
 */
public record Health(boolean ready, String state) {
    /** Until the stage has said otherwise. */
    public static final Health STARTING = new Health(false, "STARTING");
}
