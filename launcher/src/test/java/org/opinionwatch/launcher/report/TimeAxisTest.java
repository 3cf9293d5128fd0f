package org.opinionwatch.launcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TimeAxisTest {
    private static final Instant T0 = Instant.parse("2013-06-06T00:00:00Z");
    private static final Duration GAP = Duration.ofDays(3);

    private static TimeAxis axis(Duration... offsets) {
        TreeSet<Instant> instants = new TreeSet<>();
        for (Duration d : offsets) {
            instants.add(T0.plus(d));
        }
        return TimeAxis.of(instants, GAP, 100, 900, 20);
    }

    @Test
    void withoutLongQuietItIsAPlainTimeAxis() {
        TimeAxis axis = axis(Duration.ZERO, Duration.ofDays(1), Duration.ofDays(4));
        assertEquals(1, axis.segments().size());
        assertEquals(100, axis.x(T0), 1e-9);
        assertEquals(300, axis.x(T0.plus(Duration.ofDays(1))), 1e-9);
        assertEquals(900, axis.x(T0.plus(Duration.ofDays(4))), 1e-9);
    }

    @Test
    void aLongQuietGapIsCutShortAndEachRunKeepsWidthForItsLength() {
        // Two days of activity, a year of nothing, then an hour.
        TimeAxis axis = axis(Duration.ZERO, Duration.ofDays(2), Duration.ofDays(367), Duration.ofDays(367).plusHours(1));
        List<TimeAxis.Segment> segments = axis.segments();
        assertEquals(2, segments.size());
        assertEquals(100, segments.get(0).x0(), 1e-9);
        assertEquals(900, segments.get(1).x1(), 1e-9);
        assertEquals(20, segments.get(1).x0() - segments.get(0).x1(), 1e-9, "the cut gap is drawn 20 px wide");
        assertTrue(segments.get(0).x1() - segments.get(0).x0() > 600, "the two days take most of the width");
        double inGap = axis.x(T0.plus(Duration.ofDays(100)));
        assertTrue(inGap > segments.get(0).x1() && inGap < segments.get(1).x0(), "an instant in the gap is drawn in it");
    }

    @Test
    void xNeverGoesBackwards() {
        TimeAxis axis = axis(Duration.ZERO, Duration.ofHours(5), Duration.ofDays(30), Duration.ofDays(31), Duration.ofDays(90));
        double last = Double.NEGATIVE_INFINITY;
        for (long h = -5; h < 24 * 95; h += 7) {
            double x = axis.x(T0.plus(Duration.ofHours(h)));
            assertTrue(x >= last, "at hour " + h);
            last = x;
        }
    }
}
