package org.opinionwatch.launcher.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.launcher.report.RunReport;

class ComparisonTest {
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** An incident that rises through {@code levels} at the given minutes, told of each MAJOR rise at once. */
    private static RunReport.Incident incident(String id, Object... levelsAndMinutes) {
        List<RunReport.Change> changes = new ArrayList<>();
        List<RunReport.Sent> sent = new ArrayList<>();
        Level from = Level.NONE;
        for (int k = 0; k < levelsAndMinutes.length; k += 2) {
            Level to = (Level) levelsAndMinutes[k];
            Instant when = at((Integer) levelsAndMinutes[k + 1]);
            changes.add(new RunReport.Change(when, from, to, List.of(), WindowMetrics.ZERO));
            if (to == Level.MAJOR) {
                sent.add(new RunReport.Sent(when, id + when, Notification.Kind.DUTIES, Role.LEADERSHIP_GROUP, List.of("report-to-leadership"), to,
                        when.plusSeconds(1800), null));
            }
            from = to;
        }
        return new RunReport.Incident(id, "title " + id, "all", from, List.of(), changes, sent, List.of(), List.of(), 0);
    }

    private static RunReport run(String rules, RunReport.Incident... incidents) {
        RunReport.Run run = new RunReport.Run("archive", "jsonl", "ns-" + rules + ".", "max", rules, T0, T0, 1);
        return new RunReport(run, new RunReport.Summary(incidents.length, new EnumMap<>(Level.class), 0, 0, 0), null, List.of(incidents), List.of());
    }

    @Test
    void listsOnlyWhatDiffersAndTalliesEachLevel() {
        RunReport a = run("a.yaml",
                incident("same", Level.MINOR, 0, Level.MAJOR, 60),
                incident("later", Level.GENERAL, 0, Level.MAJOR, 60),
                incident("lost", Level.GENERAL, 0, Level.MAJOR, 30),
                incident("onlyA", Level.MINOR, 5));
        RunReport b = run("b.yaml",
                incident("same", Level.MINOR, 0, Level.MAJOR, 60),
                incident("later", Level.GENERAL, 0, Level.MAJOR, 150),
                incident("lost", Level.GENERAL, 0),
                incident("onlyB", Level.CRITICAL, 7));

        Comparison c = Comparison.of(a, b);

        assertEquals(List.of("later", "lost", "onlyA", "onlyB"), c.incidents().stream().map(Comparison.Incident::id).toList());
        assertEquals(1, c.same());
        Comparison.Incident later = c.incidents().get(0);
        assertEquals(List.of(new Comparison.Crossing(Level.MAJOR, at(60), at(150), 5400L)), later.crossings());
        assertEquals(Comparison.Change.LATER, later.crossings().get(0).change());
        assertEquals(List.of(new Comparison.Notifications("report-to-leadership", Role.LEADERSHIP_GROUP, 1, 1, at(60), at(150))),
                later.notifications(), "the same count, but later");
        Comparison.Incident lost = c.incidents().get(1);
        assertEquals(List.of(new Comparison.Crossing(Level.MAJOR, at(30), null, null)), lost.crossings());
        assertEquals(Comparison.Change.ONLY_A, lost.crossings().get(0).change());
        assertEquals(-1, lost.notifications().get(0).difference());
        assertEquals(List.of(Level.MINOR, Level.GENERAL, Level.MAJOR, Level.CRITICAL),
                c.incidents().get(3).crossings().stream().map(Comparison.Crossing::level).toList(), "CRITICAL is every level below it too");

        assertEquals(new Comparison.Tally(1, 0, 1, 1), c.byLevel().get(Level.MAJOR));
        assertEquals(new Comparison.Tally(0, 0, 1, 1), c.byLevel().get(Level.MINOR));
        assertEquals(new Comparison.Tally(0, 0, 0, 1), c.byLevel().get(Level.CRITICAL));
        assertEquals("a.yaml", c.a().rules());
    }

    @Test
    void theTableSaysItInWords() {
        Comparison c = Comparison.of(run("a.yaml", incident("x", Level.GENERAL, 0, Level.MAJOR, 60)),
                run("b.yaml", incident("x", Level.GENERAL, 0, Level.MAJOR, 49 * 60 + 1)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ComparisonTable.print(c, ZoneId.of("Asia/Shanghai"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("B differs from A in 1 of 1 incidents. Levels first reached (times in Asia/Shanghai):"), table);
        assertTrue(table.contains("  MAJOR      1 later in B,   0 earlier in B,   0 reached only in A,   0 only in B"), table);
        assertTrue(table.contains("  MAJOR     2024-05-01 09:00:00  2024-05-03 09:01:00  later by 2 d 1 min"), table);
        assertTrue(table.contains("  report-to-leadership         LEADERSHIP_GROUP        1     1     +0  later by 2 d 1 min"), table);
    }

    @Test
    void durationsForPeople() {
        assertEquals("0 s", ComparisonTable.human(Duration.ZERO));
        assertEquals("1 h 18 min 42 s", ComparisonTable.human(Duration.ofSeconds(4722)));
        assertEquals("3 d 5 min", ComparisonTable.human(Duration.ofDays(3).plusMinutes(5)));
    }
}
