package org.opinionwatch.launcher.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * How fast a replay publishes its archive: as fast as it can ({@link #MAX}), or {@code factor} times real time:
 * archive time runs that many times faster than the wall clock, so a snapshot is published once the wall time since
 * the start, times the factor, reaches its event time since the archive's first.
 *
 * @param factor archive seconds per wall-clock second; infinite for {@link #MAX}
 */
public record Speed(double factor) {
    public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);

    public Speed {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("a replay's speed must be positive, not " + factor);
        }
    }

    /** {@code max}, or a factor of real time such as {@code 3600} (an archive hour per second) or {@code 0.5}. */
    public static Speed parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        try {
            double factor = Double.parseDouble(t);
            if (factor > 0 && Double.isFinite(factor)) {
                return new Speed(factor);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("expected max or a positive factor of real time (3600: an archive hour per "
                + "second), not '" + text + "'");
    }

    public boolean isMax() {
        return this.equals(MAX);
    }

    /** The wall time that {@code archiveTime} of the archive takes at this speed; zero at {@link #MAX}. */
    public Duration wallTimeOf(Duration archiveTime) {
        return isMax() ? Duration.ZERO : Duration.ofNanos((long) (archiveTime.toNanos() / factor));
    }

    @Override
    public String toString() {
        return isMax() ? "max" : (factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor)) + "x";
    }
}
