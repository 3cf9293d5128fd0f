package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.topology.EscalationTopology;

class CaseFormatTest {
    static final Instant T0 = Instant.parse("2024-06-03T02:00:00.123456789Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "食堂饭菜有问题");

    /** Every field of every nested record set, none equal to its neighbour, so that two fields swapped fail. */
    static Case full() {
        WindowMetrics m1 = new WindowMetrics(12_000, 340, 2);
        WindowMetrics m2 = new WindowMetrics(15_500, 410, 3);
        Case.Forecast forecast = new Case.Forecast(Level.CRITICAL, "comments", 1000, T0.plusSeconds(60), T0.plusSeconds(7200));
        Notification held = new Notification("n-9", Notification.Kind.DUTIES, "inc-1", List.of("inc-1"), "食堂", Level.MAJOR,
                Role.LEADERSHIP_GROUP, List.of("respond"), Map.of("respond", T0.plusSeconds(3600)), "请核实", T0, T0.plusSeconds(3600),
                T0.plusSeconds(28_800), ROOT, m1, null);
        Output.DeskEntry unreported = new Output.DeskEntry("inc-1", "食堂", ROOT, Level.MAJOR, m2, T0.plusSeconds(900), held, true,
                TrackingCheckpoint.Trend.FALLING, forecast, true);
        Case.DutyState open = new Case.DutyState("verify", Role.OFFICE, Level.MAJOR, 2, T0, T0.plusSeconds(5), T0.plusSeconds(3600),
                "n-1", Case.DutyState.State.OPEN, null, null, true, false);
        Case.DutyState done = new Case.DutyState("report", Role.LEADERSHIP_GROUP, Level.CRITICAL, 3, T0.plusSeconds(1), T0.plusSeconds(2),
                null, "n-2", Case.DutyState.State.DONE, T0.plusSeconds(400), "王老师", false, true);
        return new Case("inc-1", "食堂饭菜", ROOT, List.of("food-safety", "complaint"), Level.MAJOR, Level.CRITICAL, Level.MAJOR,
                Case.Status.AFTERCARE, 4, true, true, m1, T0.plusSeconds(30), new Case.Round(T0, 7, m1, m2),
                new Case.Round(T0.plusSeconds(10), 2, m2, m1), T0.plusSeconds(5000), List.of(open, done), List.of("a-1", "a-2"),
                List.of(new Reports.Line(T0, "升至重大"), new Reports.Line(T0.plusSeconds(1), "line with \"quotes\" and \\ and\nbreaks")),
                T0.minusSeconds(60), new Case.Outlook(TrackingCheckpoint.Trend.RISING, m2, forecast, Level.MAJOR), unreported,
                List.of(new Timer(Timer.Kind.CHECKPOINT, "inc-1", T0.plusSeconds(1800), T0, 7, null),
                        new Timer(Timer.Kind.REMINDER, "inc-1", T0.plusSeconds(3000), T0.plusSeconds(3600), 0, "n-1")));
    }

    @Test
    void aCaseRoundTripsThroughItsCompactBytes() {
        for (Case c : List.of(full(), Case.fresh("inc-2"), Case.fresh("inc-3").withMetrics(new WindowMetrics(1, 2, 3), T0))) {
            byte[] bytes = EscalationTopology.CASE.serialize("t", c);
            assertEquals(0, bytes[0], "compact bytes, not JSON");
            assertEquals(c, EscalationTopology.CASE.deserialize("t", bytes));
        }
    }

    @Test
    void aCaseStoredAsJsonByAnEarlierReleaseIsRead() {
        Case c = full();
        byte[] json = EscalationTopology.CASE_JSON.serialize("t", c);
        assertTrue(new String(json, StandardCharsets.UTF_8).startsWith("{\"schema\":\"escalation-case/2\""));
        assertEquals(c, EscalationTopology.CASE.deserialize("t", json));
        assertTrue(EscalationTopology.CASE.serialize("t", c).length * 2 < json.length, "compact: under half its JSON");
    }

    @Test
    void damagedBytesFailWithWhatWasWrong() {
        byte[] bytes = EscalationTopology.CASE.serialize("t", full());
        SerializationException cut = assertThrows(SerializationException.class,
                () -> EscalationTopology.CASE.deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(cut.getMessage().startsWith("invalid escalation-case/3: "), cut.getMessage());

        // A level's name that this release does not know, written where the case's level is.
        byte[] unknown = EscalationTopology.CASE.serialize("t", Case.fresh("inc-1"));
        String text = new String(unknown, StandardCharsets.ISO_8859_1).replace("NONE", "HUGE");
        SerializationException constant = assertThrows(SerializationException.class,
                () -> EscalationTopology.CASE.deserialize("t", text.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(constant.getMessage().contains("HUGE"), constant.getMessage());
    }
}
