package org.opinionwatch.classifier.severity;

import java.time.Instant;
import org.opinionwatch.contract.config.OpinionWatchConfig.Hysteresis;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * When an incident's level changes. Up at once, at the instant a threshold is reached. Down only after the
 * metrics have stayed below the current level's band (thresholds less the margin) for the whole cool-down, so that
 * a count hovering at a threshold never flaps; then to the level the metrics call for. As the plan says, a MAJOR
 * incident touching a sensitive domain is CRITICAL; it stays so while it holds MAJOR's band.
 */
public final class LevelPolicy {
    /** @param belowSince since when the metrics have been below the band without a break, or null */
    public record Outcome(Level level, Instant belowSince) {
    }

    private final SeverityRules rules;
    private final Hysteresis hysteresis;

    public LevelPolicy(SeverityRules rules, Hysteresis hysteresis) {
        this.rules = rules;
        this.hysteresis = hysteresis;
    }

    /**
     * @param floor the lowest level the incident can have whatever its engagement (MINOR, or GENERAL for posts that
     *     need a reply)
     * @param sensitive whether the incident touches a sensitive domain
     */
    public Outcome evaluate(Level current, Instant belowSince, WindowMetrics metrics, Instant at, Level floor, boolean sensitive) {
        Level byMetrics = rules.levelFor(metrics, at);
        Level called = max(floor, sensitive && byMetrics == Level.MAJOR ? Level.CRITICAL : byMetrics);
        if (called.isAbove(current)) {
            return new Outcome(called, null);
        }
        Level band = sensitive && current == Level.CRITICAL ? Level.MAJOR : current;
        if (!rules.isBelowBand(band, metrics, at, hysteresis.margin())) {
            return new Outcome(current, null);
        }
        Instant since = belowSince == null ? at : belowSince;
        return dropDue(since).isAfter(at) ? new Outcome(current, since) : new Outcome(called, null);
    }

    /** The instant an incident below the band since {@code belowSince} goes down, if nothing changes meanwhile. */
    public Instant dropDue(Instant belowSince) {
        return belowSince.plus(hysteresis.coolDown());
    }

    private static Level max(Level a, Level b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
