package org.opinionwatch.classifier.severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig.Threshold;
import org.opinionwatch.contract.config.OpinionWatchConfig.Thresholds;
import org.opinionwatch.contract.config.OpinionWatchConfig.Watch;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * The plan's engagement thresholds: an incident that matches a subject is at least MINOR; it is MAJOR when any of
 * views, comments or distinct mainstream outlets in the window reaches the MAJOR threshold, CRITICAL likewise.
 * During a heightened-watch period the thresholds are lowered by the period's factor (rounded up, at least 1).
 */
public final class SeverityRules {
    private final Thresholds thresholds;
    private final List<Watch> watches;

    public SeverityRules(Thresholds thresholds, List<Watch> watches) {
        this.thresholds = thresholds;
        this.watches = List.copyOf(watches);
    }

    /** The level that the window metrics alone call for at instant {@code at}. */
    public Level levelFor(WindowMetrics m, Instant at) {
        if (!reached(threshold(Level.CRITICAL, at), m).isEmpty()) {
            return Level.CRITICAL;
        }
        if (!reached(threshold(Level.MAJOR, at), m).isEmpty()) {
            return Level.MAJOR;
        }
        return Level.MINOR;
    }

    /** The thresholds of {@code level} that the metrics reach, such as {@code "comments>=100"}; empty below MAJOR. */
    public List<String> crossed(Level level, WindowMetrics m, Instant at) {
        return level.compareTo(Level.MAJOR) < 0 ? List.of() : reached(threshold(level, at), m);
    }

    /**
     * Whether every metric is below the entry thresholds of {@code level} reduced by {@code margin}: the band an
     * incident must stay in for a while before it goes down. Levels below MAJOR have no engagement thresholds.
     */
    public boolean isBelowBand(Level level, WindowMetrics m, Instant at, double margin) {
        if (level.compareTo(Level.MAJOR) < 0) {
            return false;
        }
        Threshold t = threshold(level, at);
        double keep = 1 - margin;
        return m.views() < t.views() * keep && m.comments() < t.comments() * keep && m.outlets() < t.outlets() * keep;
    }

    /** The thresholds of MAJOR or CRITICAL in force at {@code at}. */
    public Threshold threshold(Level level, Instant at) {
        Threshold t = level == Level.CRITICAL ? thresholds.critical() : thresholds.major();
        double factor = 1;
        for (Watch w : watches) {
            if (!at.isBefore(w.from()) && at.isBefore(w.to())) {
                factor = Math.min(factor, w.factor());
            }
        }
        return factor == 1 ? t : new Threshold(scaled(t.views(), factor), scaled(t.comments(), factor), (int) scaled(t.outlets(), factor));
    }

    private static long scaled(long value, double factor) {
        return Math.max(1, (long) Math.ceil(value * factor));
    }

    private static List<String> reached(Threshold t, WindowMetrics m) {
        List<String> reached = new ArrayList<>(3);
        if (m.views() >= t.views()) {
            reached.add("views>=" + t.views());
        }
        if (m.comments() >= t.comments()) {
            reached.add("comments>=" + t.comments());
        }
        if (m.outlets() >= t.outlets()) {
            reached.add("outlets>=" + t.outlets());
        }
        return reached;
    }
}
