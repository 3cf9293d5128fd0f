package org.opinionwatch.launcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private final String html = HtmlReport.render(new ReportFixture().build(), ZoneId.of("Asia/Shanghai"), "en");

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void oneFileThatFetchesNothing() {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String external : new String[] {"<script", "<link", "src=", "@import", "url(", "@font-face"}) {
            assertFalse(lower.contains(external), external);
        }
        // The one URL is the SVG namespace, a name rather than something to fetch.
        assertEquals(count(lower, "http"), count(lower, "http://www.w3.org/2000/svg"));
    }

    @Test
    void textFromTheArchiveIsEscaped() {
        assertTrue(html.contains("食堂饭菜有异物 &lt;script&gt;"));
        assertFalse(html.contains("<script>"));
    }

    @Test
    void eachIncidentHasAChartATimelineAndItsDeadlines() {
        assertEquals(2, count(html, "<svg class=\"chart\""));
        assertEquals(2, count(html, "<table class=\"timeline\">"));
        assertEquals(5, count(html, "<tr class=\"level-change\">"), "four changes of one incident, one of the other");
        assertTrue(count(html, "<tr class=\"deadline MISSED\">") >= 1);
        assertEquals(2, count(html, "<tr class=\"deadline DONE\">"));
        assertEquals(2, count(html, "<tr class=\"deadline SUPERSEDED\">"), "the department's response and reply");
        assertTrue(html.contains("<td>2024-05-01 14:00</td><td>GENERAL → MAJOR</td><td>comments&gt;=100, views&gt;=1000; "
                + "window: 120 comments, 900 views, 0 outlets</td>"), "times in the plan's zone");
        assertTrue(html.contains("done 2024-05-01 14:15 (张老师)"));
        assertTrue(html.contains("<tr class=\"action\"><td>2024-05-01 09:30</td><td>action: done triage-and-forward</td><td>王老师: 转后勤处</td></tr>"));
    }

    @Test
    void theBudgetAndTheWordsFollowThePlansLanguage() {
        assertTrue(html.contains("<h2>What it asked of people</h2>"), "English by configuration");
        String zh = HtmlReport.render(new ReportFixture().build(), ZoneId.of("Asia/Shanghai"), "zh-CN");
        assertTrue(zh.contains("<html lang=\"zh-CN\">"));
        assertTrue(zh.contains("<h2>对人的打扰</h2>"), "Chinese by default");
        assertTrue(zh.contains("按时完成 2024-05-01 14:15（张老师）"));
    }

    @Test
    void theChartHasTheLevelsAsBandsAndBothMetricsAsLines() {
        assertTrue(html.contains("class=\"band GENERAL\""));
        assertTrue(html.contains("class=\"band MAJOR\""));
        assertTrue(html.contains("fill=\"" + HtmlReport.LEVEL_COLOURS.get(org.opinionwatch.contract.event.Level.MAJOR) + "\""));
        assertTrue(html.contains("stroke=\"" + HtmlReport.COMMENTS_COLOUR + "\" stroke-width=\"2\" shape-rendering"));
        assertTrue(html.contains("stroke=\"" + HtmlReport.VIEWS_COLOUR + "\" stroke-width=\"2\" stroke-dasharray"));
    }

    @Test
    void niceCeilings() {
        assertEquals(1, HtmlReport.niceCeiling(0));
        assertEquals(200, HtmlReport.niceCeiling(120));
        assertEquals(500, HtmlReport.niceCeiling(500));
        assertEquals(1000, HtmlReport.niceCeiling(501));
    }
}
