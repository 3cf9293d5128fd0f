package org.opinionwatch.classifier.window;

/**
 * Arithmetic of engagement counts, which are never negative: a sum stops at {@link Long#MAX_VALUE} rather than wrap
 * around to a negative count, and a difference stops at zero. Each post's counts are bounded where they come in
 * ({@link org.opinionwatch.contract.event.Limits#COUNT}); an incident's sums over its posts are not.
 */
public final class Counts {
    private Counts() {
    }

    /** The sum of two counts, or {@link Long#MAX_VALUE} when it would be more. */
    public static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** {@code a} less {@code b}, or zero when {@code b} is more (a sum that stopped at its maximum, less its parts). */
    public static long minus(long a, long b) {
        return Math.max(0, a - b);
    }
}
