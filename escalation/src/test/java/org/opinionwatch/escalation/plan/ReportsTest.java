package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.WindowMetrics;

/** What the reports say, and that no incident, however long or busy, makes one too large to send. */
class ReportsTest {
    private static final Reports ZH = new Reports(new Texts("zh-CN", ZoneId.of("Asia/Shanghai")),
            ConfigLoader.load(null, Map.of()).escalation());

    @Test
    void theNextDailyReportIsTheSameAskedInAnyOrder() {
        var weekdays = ConfigLoader.load(null, Map.of("OW_ESCALATION_DAILY_REPORT_WORKING_DAYS_ONLY", "true",
                "OW_ESCALATION_ZONE", "Europe/Berlin")).escalation(); // a zone with summer time: days of 23 and 25 hours
        assertTrue(weekdays.dailyReport().workingDaysOnly());
        Reports asked = new Reports(new Texts("zh-CN", ZoneId.of(weekdays.zone())), weekdays);
        java.util.Random random = new java.util.Random(3);
        Instant start = Instant.parse("2024-03-28T00:00:00Z");
        Instant at = start;
        for (int i = 0; i < 5_000; i++) {
            // Mostly forwards by minutes, as a task's timers fire; now and then back, or to another week.
            at = switch (random.nextInt(10)) {
                case 0 -> start.plusSeconds(random.nextInt(40 * 86_400));
                case 1 -> at.minusMillis(random.nextInt(7_200_000));
                default -> at.plusMillis(random.nextInt(1_800_000));
            };
            Instant fresh = new Reports(new Texts("zh-CN", ZoneId.of(weekdays.zone())), weekdays).nextReport(at);
            assertEquals(fresh, asked.nextReport(at), "after " + at);
            assertTrue(fresh.isAfter(at));
        }
        Instant friday = Instant.parse("2024-04-05T15:30:00Z"); // 17:30 in Berlin
        assertEquals(friday, asked.nextReport(friday.minusSeconds(60)));
        assertEquals(Instant.parse("2024-04-08T15:30:00Z"), asked.nextReport(friday), "at 17:30, the next is Monday's");
        assertEquals(friday, asked.reportCovering(friday), "what happened at 17:30 is in that day's report");
    }

    @Test
    void aDayOfThousandsOfIncidentsListsTheHighestAndCountsTheRest() {
        List<Reports.DayLine> lines = new ArrayList<>();
        List<Reports.DayLine> minor = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            PostRef root = new PostRef(String.format("inc-%04d", i), "https://bbs.example.edu/t/" + i, "帖子 " + i);
            lines.add(new Reports.DayLine(root.id(), root, i == 4_321 ? Level.CRITICAL : Level.MINOR, WindowMetrics.ZERO, null, null, false));
            minor.add(new Reports.DayLine(root.id(), root, Level.MINOR, WindowMetrics.ZERO, null, null, false));
        }
        String report = ZH.daily(LocalDate.of(2024, 6, 3), lines, minor);

        List<String> rows = report.lines().filter(l -> l.startsWith("| ") && l.contains("帖子 ")).toList();
        assertEquals(Reports.DAILY_LINES, rows.size(), report.substring(0, 300));
        assertTrue(rows.get(0).contains("帖子 4321"), "the critical one leads: " + rows.get(0));
        assertEquals(Reports.DAILY_LINES, report.lines().filter(l -> l.startsWith("- ") && l.contains("帖子 ")).count());
        assertEquals(2, report.lines().filter(l -> l.equals("另有 4,800 起未列出，请查看值班看板。")).count(), "each part counts the rest");
        assertTrue(report.length() < 100_000, "the report stays small: " + report.length());
    }

    @Test
    void aCaseQuotesWhatPeopleWroteShortAndKeepsItsLatestLines() {
        Case.Builder b = Case.fresh("inc-1").edit();
        b.subject = "宿舍".repeat(1_000);
        String note = "我们已经处理".repeat(2_000);
        for (int i = 0; i < 300; i++) { // more lines than a timeline keeps
            b.log(Instant.parse("2024-06-03T02:00:00Z").plusSeconds(i), note);
        }
        Case c = b.build();

        assertEquals(Case.TIMELINE, c.timeline().size());
        for (Reports.Line line : c.timeline()) {
            assertEquals(Limits.QUOTED_LINE_CHARS, line.what().length());
            assertTrue(line.what().endsWith(Limits.TRUNCATED));
        }
        assertEquals(Limits.QUOTED_LINE_CHARS, c.subject().length());
        assertTrue(ZH.review(c, Instant.parse("2024-06-05T02:00:00Z")).length() < 300_000, "the review stays small");
    }
}
