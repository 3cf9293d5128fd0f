package org.opinionwatch.launcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.launcher.pipeline.OutputEvent;

class RunReportTest {
    private final ReportFixture fixture = new ReportFixture();
    private final RunReport report = fixture.build();

    private RunReport.Incident incident(String id) {
        return report.incidents().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void incidentsInTheOrderTheyFirstAppearWithTheirTitleAndPeak() {
        assertEquals(List.of(ReportFixture.HOT, ReportFixture.QUIET), report.incidents().stream().map(RunReport.Incident::id).toList());
        RunReport.Incident hot = incident(ReportFixture.HOT);
        assertEquals("食堂饭菜有异物 <script>", hot.title());
        assertEquals("all", hot.subject());
        assertEquals(Level.MAJOR, hot.peak());
        assertEquals(1, hot.checkpoints());
        assertEquals(Level.MINOR, incident(ReportFixture.QUIET).peak());
    }

    @Test
    void theWindowIsEveryIncidentStateInEventTime() {
        List<RunReport.Point> window = incident(ReportFixture.HOT).window();
        assertEquals(11, window.size());
        assertEquals(new RunReport.Point(ReportFixture.hours(1), Level.GENERAL, new WindowMetrics(150, 20, 0)), window.get(0));
        assertEquals(new RunReport.Point(ReportFixture.hours(20), Level.GENERAL, new WindowMetrics(400, 60, 0)), window.get(10));
    }

    @Test
    void eachLevelIsFirstReachedByTheFirstChangeToItOrAbove() {
        Map<Level, Instant> first = incident(ReportFixture.HOT).firstReached();
        assertEquals(Map.of(Level.MINOR, ReportFixture.hours(0), Level.GENERAL, ReportFixture.hours(0), Level.MAJOR, ReportFixture.hours(6)), first);
        assertEquals(List.of(Level.GENERAL, Level.MAJOR, Level.GENERAL, Level.NONE),
                incident(ReportFixture.HOT).levels().stream().map(RunReport.Change::to).toList());
    }

    @Test
    void aDeadlineIsDoneByAnActionMissedWhenItsOverdueNoticeWentUpAndOpenOtherwise() {
        List<RunReport.Deadline> deadlines = incident(ReportFixture.HOT).deadlines();
        assertEquals(List.of("respond", "report-to-leadership", "convene-emergency-meeting", "review"),
                deadlines.stream().map(RunReport.Deadline::duty).toList(), "the duties with a deadline, not track-continuously");
        RunReport.Deadline respond = deadlines.get(0);
        assertEquals(RunReport.Status.MISSED, respond.status());
        assertEquals(ReportFixture.hours(2), respond.overdueAt());
        assertEquals(Role.DEPARTMENT, respond.role());
        assertEquals(RunReport.Status.DONE, deadlines.get(1).status());
        assertEquals(ReportFixture.hours(6.25), deadlines.get(1).doneAt());
        assertEquals(RunReport.Status.DONE, deadlines.get(2).status(), "one acknowledgement answers both");
        assertEquals(RunReport.Status.OPEN, deadlines.get(3).status(), "an acknowledgement does not do a review");
    }

    @Test
    void theSummaryCountsWhatTheRunDid() {
        Map<Level, Long> changes = new EnumMap<>(Level.class);
        changes.putAll(Map.of(Level.NONE, 1L, Level.MINOR, 1L, Level.GENERAL, 2L, Level.MAJOR, 1L, Level.CRITICAL, 0L));
        assertEquals(new RunReport.Summary(2, changes, 8, 1, 2), report.summary());
        assertEquals("2 incidents; level changes: 1 to NONE, 1 to MINOR, 2 to GENERAL, 1 to MAJOR, 0 to CRITICAL; "
                + "8 notifications; 1 deadlines missed; 2 rejected to posts.dlq", report.summary().text());
        assertEquals(List.of(ReportFixture.hours(9.5)), report.dailyReports(), "the daily report is about the day, not an incident");
    }

    @Test
    void anEventOfAnotherTopicIsAMistakeNotSomethingToSkip() {
        OutputEvent forecast = new OutputEvent("incidents.forecast", "x", ReportFixture.T0, org.opinionwatch.contract.serde.Json.TOLERANT.createObjectNode());
        assertThrows(IllegalArgumentException.class, () -> RunReport.build(ReportFixture.RUN, 0, List.of(forecast)));
    }
}
