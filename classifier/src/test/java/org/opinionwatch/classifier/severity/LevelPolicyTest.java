package org.opinionwatch.classifier.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig.Hysteresis;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;

class LevelPolicyTest {
    private static final Instant T = SeverityRulesTest.T;
    private final LevelPolicy policy = new LevelPolicy(new SeverityRules(SeverityRulesTest.PLAN, List.of()),
            new Hysteresis(0.2, Duration.ofHours(6)));

    private static WindowMetrics comments(long n) {
        return new WindowMetrics(0, n, 0);
    }

    @Test
    void risesAtOnce() {
        assertEquals(new LevelPolicy.Outcome(Level.MAJOR, null), policy.evaluate(Level.MINOR, null, comments(100), T, Level.MINOR, false));
        assertEquals(new LevelPolicy.Outcome(Level.CRITICAL, null), policy.evaluate(Level.MINOR, null, comments(500), T, Level.MINOR, false));
    }

    @Test
    void hoveringAtTheThresholdNeverFlaps() {
        assertEquals(new LevelPolicy.Outcome(Level.MAJOR, null), policy.evaluate(Level.MAJOR, null, comments(99), T, Level.MINOR, false));
        assertEquals(new LevelPolicy.Outcome(Level.MAJOR, null), policy.evaluate(Level.MAJOR, null, comments(80), T, Level.MINOR, false));
    }

    @Test
    void fallsOnlyAfterTheWholeCoolDownBelowTheBand() {
        LevelPolicy.Outcome below = policy.evaluate(Level.MAJOR, null, comments(79), T, Level.MINOR, false);
        assertEquals(new LevelPolicy.Outcome(Level.MAJOR, T), below);
        assertEquals(new LevelPolicy.Outcome(Level.MAJOR, T), policy.evaluate(Level.MAJOR, T, comments(10), T.plus(Duration.ofHours(6)).minusMillis(1), Level.MINOR, false));
        assertEquals(new LevelPolicy.Outcome(Level.MINOR, null), policy.evaluate(Level.MAJOR, T, comments(10), T.plus(Duration.ofHours(6)), Level.MINOR, false));
        assertEquals(T.plus(Duration.ofHours(6)), policy.dropDue(T));
    }

    @Test
    void aReboundAboveTheBandRestartsTheCoolDown() {
        LevelPolicy.Outcome rebound = policy.evaluate(Level.MAJOR, T, comments(85), T.plus(Duration.ofHours(3)), Level.MINOR, false);
        assertNull(rebound.belowSince());
        assertEquals(Level.MAJOR, rebound.level());
    }

    @Test
    void aSensitiveMajorIncidentIsCriticalWhileItHoldsMajorsBand() {
        assertEquals(Level.CRITICAL, policy.evaluate(Level.MINOR, null, comments(100), T, Level.MINOR, true).level());
        assertEquals(Level.MINOR, policy.evaluate(Level.MINOR, null, comments(99), T, Level.MINOR, true).level(), "below MAJOR it is not");
        assertEquals(new LevelPolicy.Outcome(Level.CRITICAL, null), policy.evaluate(Level.CRITICAL, null, comments(150), T, Level.MINOR, true),
                "150 comments hold MAJOR's band, so CRITICAL's band does not apply");
        assertEquals(Level.MINOR, policy.evaluate(Level.CRITICAL, T, comments(10), T.plus(Duration.ofHours(6)), Level.MINOR, true).level());
    }

    @Test
    void aPostThatNeedsAReplyMakesItGeneral() {
        assertEquals(Level.GENERAL, policy.evaluate(Level.NONE, null, comments(1), T, Level.GENERAL, false).level());
    }

    @Test
    void fallsToTheLevelTheMetricsCallForNeverBelowTheFloor() {
        assertEquals(Level.MAJOR, policy.evaluate(Level.CRITICAL, T, comments(150), T.plus(Duration.ofHours(6)), Level.MINOR, false).level());
        assertEquals(Level.GENERAL, policy.evaluate(Level.MAJOR, T, comments(1), T.plus(Duration.ofHours(6)), Level.GENERAL, false).level());
    }
}
