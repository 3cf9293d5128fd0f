package org.opinionwatch.classifier.severity;

import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig.Threshold;
import org.opinionwatch.contract.config.OpinionWatchConfig.Thresholds;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * The plan's engagement thresholds: an incident that matches a subject is at least MINOR; it is MAJOR when any of
 * views, comments or distinct mainstream outlets in the window reaches the MAJOR threshold, CRITICAL likewise.
 */
public final class SeverityRules {
    private final Thresholds thresholds;

    public SeverityRules(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The level that the window metrics alone call for. */
    public Level levelFor(WindowMetrics m) {
        if (!reached(thresholds.critical(), m).isEmpty()) {
            return Level.CRITICAL;
        }
        if (!reached(thresholds.major(), m).isEmpty()) {
            return Level.MAJOR;
        }
        return Level.MINOR;
    }

    /** The thresholds of {@code level} that the metrics reach, such as {@code "comments>=100"}; empty below MAJOR. */
    public List<String> crossed(Level level, WindowMetrics m) {
        return switch (level) {
            case MAJOR -> reached(thresholds.major(), m);
            case CRITICAL -> reached(thresholds.critical(), m);
            default -> List.of();
        };
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
