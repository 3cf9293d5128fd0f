package org.opinionwatch.classifier.window;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * One incident's trailing window of event time, exactly as the design defines it: at instant t it holds what
 * happened in (t − size, t]. It is kept as running sums plus the entries still inside, so adding an increment
 * costs only the entries it pushes out.
 *
 * <p>The window ends at the latest instant seen for the incident. An increment older than that but still inside
 * is counted where it belongs; one at or before the window's start can no longer change any level and is late.
 *
 * @param end the instant the window ends at (its t), epoch millis
 * @param views views in (end − size, end]
 * @param outlets mainstream outlets in the window and how many of their posts are in it (at most {@link #MAX_OUTLETS})
 */
public record TrailingWindow(long end, long views, long comments, Map<String, Integer> outlets) {
    /**
     * Distinct outlets counted at most: the thresholds are a handful, and an incident's state holds every outlet
     * counted, so that a flood of invented outlets cannot grow it past what a record may hold. Beyond this many, the
     * outlets of the window are undercounted.
     */
    public static final int MAX_OUTLETS = 1_000;

    public TrailingWindow {
        outlets = Map.copyOf(outlets);
    }

    public static TrailingWindow startingAt(long at) {
        return new TrailingWindow(at, 0, 0, Map.of());
    }

    public WindowMetrics metrics() {
        return new WindowMetrics(views, comments, outlets.size());
    }

    /** When the window's oldest entry falls out (its metrics can only drop then), or null for an empty log. */
    public Long nextExpiry(Duration size, EntryLog log) {
        Long earliest = log.earliestAfter(end - size.toMillis()); // all before the window's start are gone
        return earliest == null ? null : earliest + size.toMillis();
    }

    public boolean isLate(long at, Duration size) {
        return at <= end - size.toMillis();
    }

    /**
     * The window after an increment at {@code at}: first moved forward to {@code at} if that is later (entries
     * that fall out are removed from the log and subtracted), then the increment added and logged.
     *
     * @throws IllegalArgumentException for a late increment (see {@link #isLate})
     */
    public TrailingWindow add(long at, WindowEntry entry, Duration size, EntryLog log) {
        if (isLate(at, size)) {
            throw new IllegalArgumentException("increment at " + at + " is before the window (" + (end - size.toMillis()) + ", " + end + "]");
        }
        TrailingWindow moved = movedTo(at, size, log);
        WindowEntry existing = log.get(at);
        log.put(at, existing == null ? entry : existing.plus(entry));
        TreeMap<String, Integer> outletCounts = new TreeMap<>(moved.outlets);
        for (String outlet : entry.outlets()) {
            if (outletCounts.containsKey(outlet) || outletCounts.size() < MAX_OUTLETS) {
                outletCounts.merge(outlet, 1, Integer::sum);
            }
        }
        return new TrailingWindow(moved.end, Counts.plus(moved.views, entry.views()), Counts.plus(moved.comments, entry.comments()), outletCounts);
    }

    /**
     * The window moved forward to end at {@code at}, without adding anything: entries that fall out are removed
     * from the log and subtracted. A window already ending at or after {@code at} stays as it is.
     */
    public TrailingWindow movedTo(long at, Duration size, EntryLog log) {
        if (at <= end) {
            return this;
        }
        List<WindowEntry> expired = log.removeRange(end - size.toMillis(), at - size.toMillis());
        long v = views;
        long c = comments;
        TreeMap<String, Integer> outletCounts = new TreeMap<>(outlets);
        for (WindowEntry e : expired) {
            v = Counts.minus(v, e.views());
            c = Counts.minus(c, e.comments());
            e.outlets().forEach(o -> outletCounts.computeIfPresent(o, (k, n) -> n == 1 ? null : n - 1));
        }
        return new TrailingWindow(at, v, c, outletCounts);
    }
}
