package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.TrackingCheckpoint.Trend;
import org.opinionwatch.contract.event.WindowMetrics;

class TrackingScheduleTest {
    static final Instant AT = Instant.parse("2024-06-03T14:00:00Z");
    private final TrackingSchedule schedule = new TrackingSchedule(ResponsePlanTest.DEFAULTS);

    static SeverityChange change(Level from, Level to) {
        return new SeverityChange("inc-1", "canteen", from, to, List.of("comments>=100"), new WindowMetrics(900, 100, 0),
                Duration.ofHours(24), AT, AT, null, List.of(), List.of(), List.of());
    }

    @Test
    void generalOrAboveIsCheckedEveryHourFor24Hours() {
        List<Instant> instants = schedule.checkpoints(change(Level.NONE, Level.GENERAL));
        assertEquals(24, instants.size());
        for (int k = 1; k <= 24; k++) {
            assertEquals(AT.plus(Duration.ofHours(k)), instants.get(k - 1));
        }
        assertEquals(24, schedule.checkpointsPerRound());
    }

    @Test
    void onlyAnOpeningOrARiseToGeneralOrAboveStartsARound() {
        assertTrue(schedule.startsRound(change(Level.MINOR, Level.GENERAL)));
        assertTrue(schedule.startsRound(change(Level.GENERAL, Level.MAJOR)));
        assertTrue(schedule.startsRound(change(Level.MAJOR, Level.CRITICAL)));
        assertTrue(schedule.startsRound(change(Level.NONE, Level.CRITICAL)));
        assertFalse(schedule.startsRound(change(Level.NONE, Level.MINOR)), "MINOR: daily report only");
        assertFalse(schedule.startsRound(change(Level.CRITICAL, Level.MAJOR)), "a lowering");
        assertFalse(schedule.startsRound(change(Level.MAJOR, Level.MAJOR)));
        assertEquals(List.of(), schedule.checkpoints(change(Level.NONE, Level.MINOR)));
    }

    @Test
    void periodAndSpanAreConfigurable() {
        TrackingSchedule halfHourly = new TrackingSchedule(Duration.ofMinutes(30), Duration.ofHours(2));
        assertEquals(List.of(AT.plusSeconds(1800), AT.plusSeconds(3600), AT.plusSeconds(5400), AT.plusSeconds(7200)),
                halfHourly.checkpoints(change(Level.NONE, Level.MAJOR)));
        assertEquals(2, new TrackingSchedule(Duration.ofMinutes(25), Duration.ofHours(1)).checkpointsPerRound(), "rounded down");
        assertFalse(halfHourly.hasCheckpoint(0, Level.MAJOR, Trend.RISING));
        assertTrue(halfHourly.hasCheckpoint(4, Level.MINOR, Trend.STEADY));
        assertFalse(halfHourly.hasCheckpoint(5, Level.MINOR, Trend.RISING), "MINOR is calm: the round is over");
        assertFalse(halfHourly.hasCheckpoint(5, Level.GENERAL, Trend.STEADY), "no longer growing: calm, the round is over");
        assertTrue(halfHourly.hasCheckpoint(5, Level.GENERAL, Trend.RISING), "still growing: tracking goes on");
    }

    @Test
    void checkpointInstantsAreExactForAnyPeriodAndSequence() {
        Duration odd = Duration.ofSeconds(3_601, 123_456_789);
        TrackingSchedule schedule = new TrackingSchedule(odd, Duration.ofDays(365));
        for (int k : new int[] {1, 2, 24, 999, 8_760}) {
            assertEquals(AT.plus(odd.multipliedBy(k)), schedule.due(AT, k), "checkpoint " + k);
        }
    }

    @Test
    void aCheckpointReportsTheChangeSinceThePreviousOne() {
        TrackingCheckpoint c = schedule.checkpoint("inc-1", Level.MAJOR, AT, 3,
                new WindowMetrics(1500, 120, 2), new WindowMetrics(1200, 130, 1));
        assertEquals(AT.plus(Duration.ofHours(3)), c.at());
        assertEquals(3, c.sequence());
        assertEquals(Level.MAJOR, c.level());
        assertEquals(new WindowMetrics(300, -10, 1), c.change());
        assertEquals(Trend.RISING, c.trend());
        assertEquals(TrackingSchedule.checkpointId("inc-1", AT, 3), c.id());
    }

    @Test
    void checkpointIdsAreDeterministicPerIncidentRoundAndSequence() {
        String id = TrackingSchedule.checkpointId("inc-1", AT, 1);
        assertEquals(id, TrackingSchedule.checkpointId("inc-1", AT, 1));
        assertNotEquals(id, TrackingSchedule.checkpointId("inc-1", AT, 2));
        assertNotEquals(id, TrackingSchedule.checkpointId("inc-1", AT.plusSeconds(1), 1));
        assertNotEquals(id, TrackingSchedule.checkpointId("inc-2", AT, 1));
    }

    @Test
    void trendIsRisingIfAnythingGrewFallingIfNothingGrewButSomethingFell() {
        assertEquals(Trend.RISING, TrackingSchedule.trend(new WindowMetrics(1, 0, 0)));
        assertEquals(Trend.RISING, TrackingSchedule.trend(new WindowMetrics(-500, 0, 1)), "a new outlet outweighs fewer views");
        assertEquals(Trend.RISING, TrackingSchedule.trend(new WindowMetrics(0, 3, 0)));
        assertEquals(Trend.FALLING, TrackingSchedule.trend(new WindowMetrics(-1, 0, 0)));
        assertEquals(Trend.FALLING, TrackingSchedule.trend(new WindowMetrics(-10, -2, -1)));
        assertEquals(Trend.STEADY, TrackingSchedule.trend(WindowMetrics.ZERO));
    }
}
