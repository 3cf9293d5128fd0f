package org.opinionwatch.launcher.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * The x axis of an incident's chart: event time to pixels, with long quiet gaps cut short. A story can flare for
 * two days and get one more reaction a year later; on a plain time axis its two days would be a few pixels wide.
 * Each run of activity (instants no more than {@code gap} apart) gets width in proportion to its length, and each
 * cut gap a fixed {@code gapWidth}.
 */
final class TimeAxis {
    /** A run of activity and where it is drawn. */
    record Segment(Instant start, Instant end, double x0, double x1) {
        double x(Instant t) {
            long span = Duration.between(start, end).toMillis();
            return span == 0 ? (x0 + x1) / 2 : x0 + (x1 - x0) * Duration.between(start, t).toMillis() / span;
        }
    }

    private final List<Segment> segments;

    private TimeAxis(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /**
     * @param instants every instant the chart shows, at least one
     * @param x0 where the axis starts, in pixels; {@code x1} where it ends
     */
    static TimeAxis of(SortedSet<Instant> instants, Duration gap, double x0, double x1, double gapWidth) {
        List<Instant[]> runs = new ArrayList<>();
        for (Instant t : instants) {
            Instant[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && Duration.between(last[1], t).compareTo(gap) <= 0) {
                last[1] = t;
            } else {
                runs.add(new Instant[] {t, t});
            }
        }
        long total = runs.stream().mapToLong(r -> Duration.between(r[0], r[1]).toMillis()).sum();
        // A run too short to see still gets a sliver of the width: the point of it is that something happened there.
        double floor = Math.max(total / 40.0, 1);
        double[] weights = runs.stream().mapToDouble(r -> Math.max(Duration.between(r[0], r[1]).toMillis(), floor)).toArray();
        double sum = java.util.Arrays.stream(weights).sum();
        double drawable = x1 - x0 - gapWidth * (runs.size() - 1);
        List<Segment> segments = new ArrayList<>();
        double x = x0;
        for (int i = 0; i < runs.size(); i++) {
            double width = drawable * weights[i] / sum;
            segments.add(new Segment(runs.get(i)[0], runs.get(i)[1], x, x + width));
            x += width + gapWidth;
        }
        return new TimeAxis(segments);
    }

    List<Segment> segments() {
        return segments;
    }

    /** The pixel of {@code t}: in its run, or in proportion across the cut gap it falls in. */
    double x(Instant t) {
        Segment first = segments.get(0);
        if (!t.isAfter(first.start())) {
            return first.x0();
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (!t.isAfter(s.end())) {
                if (!t.isBefore(s.start())) {
                    return s.x(t);
                }
                Segment before = segments.get(i - 1);
                double share = (double) Duration.between(before.end(), t).toMillis() / Duration.between(before.end(), s.start()).toMillis();
                return before.x1() + (s.x0() - before.x1()) * share;
            }
        }
        return segments.get(segments.size() - 1).x1();
    }
}
