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
        assertEquals(29, hot.checkpoints(), "hourly: 5 from the GENERAL opening, 24 from the rise to MAJOR");
        assertEquals(Level.MINOR, incident(ReportFixture.QUIET).peak());
    }

    @Test
    void theWindowIsEveryIncidentStateInEventTime() {
        List<RunReport.Point> window = incident(ReportFixture.HOT).window();
        assertEquals(11, window.size());
        assertEquals(new RunReport.Point(ReportFixture.hours(1), Level.GENERAL, new WindowMetrics(150, 20, 0)), window.get(0));
        assertEquals(new RunReport.Point(ReportFixture.hours(30), Level.GENERAL, new WindowMetrics(400, 60, 0)), window.get(10));
    }

    @Test
    void eachLevelIsFirstReachedByTheFirstChangeToItOrAbove() {
        Map<Level, Instant> first = incident(ReportFixture.HOT).firstReached();
        assertEquals(Map.of(Level.MINOR, ReportFixture.hours(0), Level.GENERAL, ReportFixture.hours(0), Level.MAJOR, ReportFixture.hours(6)), first);
        assertEquals(List.of(Level.GENERAL, Level.MAJOR, Level.GENERAL, Level.NONE),
                incident(ReportFixture.HOT).levels().stream().map(RunReport.Change::to).toList());
    }

    @Test
    void eachDutyWithADeadlineIsAsTheCaseKeptIt() {
        Map<String, RunReport.Status> status = new java.util.LinkedHashMap<>();
        incident(ReportFixture.HOT).deadlines().forEach(d -> status.put(d.duty(), d.status()));
        assertEquals(RunReport.Status.DONE, status.get("triage-and-forward"), "forwarded in time");
        assertEquals(RunReport.Status.SUPERSEDED, status.get("respond"), "the major procedure took its place");
        assertEquals(RunReport.Status.DONE, status.get("report-to-leadership"));
        assertEquals(RunReport.Status.MISSED, status.get("convene-emergency-meeting"), "acknowledging the report does not convene the meeting");
        assertEquals(RunReport.Status.OPEN, status.get("review"));
        RunReport.Deadline report = incident(ReportFixture.HOT).deadlines().stream().filter(d -> d.duty().equals("report-to-leadership"))
                .findFirst().orElseThrow();
        assertEquals(ReportFixture.hours(6.25), report.closedAt());
        assertEquals("张老师", report.by());
        assertEquals(Role.LEADERSHIP_GROUP, report.role());
    }

    @Test
    void theSummaryAndTheBudgetCountWhatTheRunDid() {
        Map<Level, Long> changes = new EnumMap<>(Level.class);
        changes.putAll(Map.of(Level.NONE, 1L, Level.MINOR, 1L, Level.GENERAL, 2L, Level.MAJOR, 1L, Level.CRITICAL, 0L));
        assertEquals(changes, report.summary().levelChanges());
        long sent = fixture.events.stream().filter(e -> e.topic().equals("notifications")).count();
        assertEquals(sent, report.summary().notifications());
        assertEquals(List.of(ReportFixture.hours(9.5)), report.dailyReports(), "the daily report is about the day, not an incident");
        Budget b = report.budget();
        assertEquals(sent - 1, (long) b.all().max() + (long) b.byPeak().get(Level.MINOR).max(), "the hot one's, the quiet one's none");
        assertEquals(0, b.byPeak().get(Level.MINOR).max(), "a minor incident is in the daily report only");
        assertEquals(1, b.dailyReports());
        assertEquals(0, b.bulletinsBelowMajor());
        assertEquals(0, b.atNight());
        assertEquals(0, b.notChinese());
        assertEquals(1L, b.dutiesLeftOut(), "the quiet one is in no office daily report of the fixture");
    }

    @Test
    void chineseFirstCountsTheNotificationsOwnWordsLinksIdsAndQuotedPostsAside() {
        assertEquals(true, Budget.chineseFirst(notice("重大舆情：请在两小时内报告领导小组。", null)));
        assertEquals(false, Budget.chineseFirst(notice("Report to the leadership group 请", null)));
        assertEquals(true, Budget.chineseFirst(notice("请核实 https://weibo.com/status/abcdefghijklmnop", "incident-abcdefghijklmnop")));
        assertEquals(true, Budget.chineseFirst(notice("原帖「Canteen food is terrible today」已转发", "see \"Canteen food is terrible\"")));
        assertEquals(false, Budget.chineseFirst(notice("请 see the report", "# Daily report of incident-abcdefghijklmnop")));
        assertEquals(true, Budget.chineseFirst(notice("𠀀𠀁𠀂 ab", null)), "Han beyond the basic plane counts once per character");
    }

    private static org.opinionwatch.contract.event.Notification notice(String instructions, String report) {
        return new org.opinionwatch.contract.event.Notification("n1", org.opinionwatch.contract.event.Notification.Kind.DUTIES,
                "incident-abcdefghijklmnop", null, null, Level.MAJOR, Role.OFFICE, List.of(), Map.of(), instructions,
                ReportFixture.T0, null, null, null, null, report);
    }

    @Test
    void anEventOfAnotherTopicIsAMistakeNotSomethingToSkip() {
        OutputEvent forecast = new OutputEvent("incidents.forecast", "x", ReportFixture.T0, org.opinionwatch.contract.serde.Json.TOLERANT.createObjectNode());
        assertThrows(IllegalArgumentException.class, () -> RunReport.build(ReportFixture.RUN, 0, List.of(forecast), ReportFixture.ZONE));
    }
}
