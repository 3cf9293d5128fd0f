package org.opinionwatch.classifier.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Threshold;
import org.opinionwatch.contract.config.OpinionWatchConfig.Thresholds;
import org.opinionwatch.contract.config.OpinionWatchConfig.Watch;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

class SeverityRulesTest {
    static final Thresholds PLAN = new Thresholds(new Threshold(1000, 100, 1), new Threshold(3000, 500, 5));
    static final Instant T = Instant.parse("2025-06-01T00:00:00Z");
    private final SeverityRules rules = new SeverityRules(PLAN, List.of());

    @Test
    void designThresholds() {
        assertEquals(Level.MINOR, rules.levelFor(new WindowMetrics(999, 99, 0), T));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(1000, 0, 0), T));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(0, 100, 0), T));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(0, 0, 1), T));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(3000, 0, 0), T));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(0, 500, 0), T));
        assertEquals(Level.CRITICAL, rules.levelFor(new WindowMetrics(0, 0, 5), T));
        assertEquals(Level.MAJOR, rules.levelFor(new WindowMetrics(2999, 499, 4), T));
    }

    @Test
    void namesTheThresholdsThatWereCrossed() {
        assertEquals(List.of("comments>=100", "outlets>=1"), rules.crossed(Level.MAJOR, new WindowMetrics(10, 120, 1), T));
        assertEquals(List.of("views>=3000"), rules.crossed(Level.CRITICAL, new WindowMetrics(3000, 120, 1), T));
    }

    @Test
    void theBandIsEveryMetricBelowTheThresholdsLessTheMargin() {
        assertTrue(rules.isBelowBand(Level.MAJOR, new WindowMetrics(799, 79, 0), T, 0.2));
        assertFalse(rules.isBelowBand(Level.MAJOR, new WindowMetrics(799, 80, 0), T, 0.2), "80 is not below 80% of 100");
        assertFalse(rules.isBelowBand(Level.MAJOR, new WindowMetrics(0, 0, 1), T, 0.2), "an outlet still in the window keeps it MAJOR");
        assertTrue(rules.isBelowBand(Level.CRITICAL, new WindowMetrics(0, 399, 3), T, 0.2));
        assertFalse(rules.isBelowBand(Level.MINOR, WindowMetrics.ZERO, T, 0.2), "MINOR has no engagement band");
    }

    @Test
    void heightenedWatchLowersTheThresholdsOnlyInsideItsPeriod() {
        Watch gaokao = new Watch("gaokao", T, T.plusSeconds(4 * 86_400), 0.5);
        SeverityRules watched = new SeverityRules(PLAN, List.of(gaokao));
        WindowMetrics fifty = new WindowMetrics(0, 50, 0);
        assertEquals(Level.MINOR, watched.levelFor(fifty, T.minusMillis(1)));
        assertEquals(Level.MAJOR, watched.levelFor(fifty, T));
        assertEquals(List.of("comments>=50"), watched.crossed(Level.MAJOR, fifty, T));
        assertEquals(Level.CRITICAL, watched.levelFor(new WindowMetrics(0, 250, 0), T.plusSeconds(3600)));
        assertEquals(Level.MINOR, watched.levelFor(fifty, gaokao.to()), "the period ends at its 'to', exclusive");
        assertEquals(1, watched.threshold(Level.MAJOR, T).outlets(), "a threshold never falls below 1");
    }
}
