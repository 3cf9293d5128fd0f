package org.opinionwatch.classifier.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Forecast;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

class ForecasterTest {
    private static final Instant T = SeverityRulesTest.T;
    private final Forecaster forecaster = new Forecaster(new SeverityRules(SeverityRulesTest.PLAN, List.of()),
            new Forecast(Duration.ofHours(6), Duration.ofHours(1)));

    @Test
    void warnsWhenThePaceReachesTheNextThresholdWithinTheHorizon() {
        // 40 comments in the window, 20 of them in the last hour: 60 more take 3 hours
        Forecaster.Warning w = forecaster.forecast(Level.MINOR, new WindowMetrics(0, 40, 0), new WindowMetrics(0, 20, 0), T).orElseThrow();
        assertEquals(Level.MAJOR, w.next());
        assertEquals("comments", w.metric());
        assertEquals(T.plus(Duration.ofHours(3)), w.expectedAt());
        assertEquals(20.0, w.perHour());
    }

    @Test
    void noWarningBeyondTheHorizonOrWithoutGrowthOrAtTheTop() {
        assertTrue(forecaster.forecast(Level.MINOR, new WindowMetrics(0, 40, 0), new WindowMetrics(0, 5, 0), T).isEmpty(), "12 h away");
        assertTrue(forecaster.forecast(Level.MINOR, new WindowMetrics(0, 90, 0), WindowMetrics.ZERO, T).isEmpty());
        assertTrue(forecaster.forecast(Level.CRITICAL, new WindowMetrics(0, 900, 0), new WindowMetrics(0, 900, 0), T).isEmpty());
    }

    @Test
    void theEarlierOfViewsAndCommentsWins() {
        Forecaster.Warning w = forecaster.forecast(Level.MAJOR, new WindowMetrics(2000, 200, 0), new WindowMetrics(1000, 50, 0), T).orElseThrow();
        assertEquals(Level.CRITICAL, w.next());
        assertEquals("views", w.metric());
        assertEquals(T.plus(Duration.ofHours(1)), w.expectedAt());
    }
}
