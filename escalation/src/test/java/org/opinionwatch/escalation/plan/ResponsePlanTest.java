package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;

/** Which duties each decision gives, from the configuration. */
class ResponsePlanTest {
    static final OpinionWatchConfig.Escalation DEFAULTS = ConfigLoader.load(null, Map.of()).escalation();
    private final ResponsePlan plan = new ResponsePlan(DEFAULTS);

    private static List<String> keys(List<Duty> duties) {
        return duties.stream().map(Duty::key).toList();
    }

    @Test
    void generalIsTriagedThenAnsweredWithThePlaybookOfTheFirstCategory() {
        assertEquals(List.of("triage-and-forward"), keys(plan.generalAtOnce()));
        assertEquals(List.of("respond", "publish-facts"), keys(plan.generalOnceForwarded(List.of("rumour", "complaint"))),
                "rumour outranks complaint: publish the facts");
        assertEquals(List.of("respond", "publish-facts", "refer-to-law-enforcement"), keys(plan.generalOnceForwarded(List.of("attack"))));
        assertEquals(List.of("respond"), keys(plan.generalOnceForwarded(List.of("praise"))), "praise has no playbook");
    }

    @Test
    void theMajorProcedureFollowsThePlansReportingChain() {
        assertEquals(List.of("report-to-leadership", "report-to-county", "decide-report-to-superior-authority", "investigate-facts",
                "convene-emergency-meeting", "speak-with-one-voice", "track-continuously"), keys(plan.major(Level.MAJOR, List.of())));
        assertEquals(keys(plan.major(Level.MAJOR, List.of())), keys(plan.major(Level.CRITICAL, List.of())),
                "the plans report MAJOR and CRITICAL alike; the superior authority as the leadership decides");
        assertEquals(List.of("publish-facts", "refer-to-law-enforcement"),
                keys(plan.major(Level.MAJOR, List.of("attack")).subList(7, 9)), "the department's own replies give way to one voice");
    }

    @Test
    void deadlinesComeFromTheConfiguration() {
        Instant t = Instant.parse("2024-06-03T02:00:00Z");
        assertEquals(t.plus(Duration.ofMinutes(30)), plan.due(Duty.REPORT_TO_LEADERSHIP, t));
        assertEquals(t.plus(Duration.ofHours(2)), plan.due(Duty.TRIAGE_AND_FORWARD, t));
        assertEquals(t.plus(Duration.ofDays(1)), plan.due(Duty.RESPOND, t));
        assertEquals(t.plus(Duration.ofDays(7)), plan.due(Duty.REVIEW, t));
        assertEquals(null, plan.due(Duty.SPEAK_WITH_ONE_VOICE, t));
        ResponsePlan quick = new ResponsePlan(ConfigLoader.load(null, Map.of("OW_ESCALATION_FORWARD_WITHIN", "PT30M")).escalation());
        assertEquals(t.plus(Duration.ofMinutes(30)), quick.due(Duty.TRIAGE_AND_FORWARD, t));
    }

    @Test
    void anUnknownPlaybookDutyOrADecidedLeadershipReportNamesTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("playbook.yaml");
        java.nio.file.Files.writeString(file, "escalation:\n  playbook: { rumour: [ignore-it] }\n");
        ConfigException playbook = assertThrows(ConfigException.class, () -> new ResponsePlan(ConfigLoader.load(file, Map.of()).escalation()));
        assertTrue(playbook.getMessage().startsWith("escalation.playbook.rumour: no playbook duty 'ignore-it'"), playbook.getMessage());
        ConfigException chain = assertThrows(ConfigException.class, () -> new ResponsePlan(ConfigLoader.load(null,
                Map.of("OW_ESCALATION_REPORTING_LEVELS_MAJOR_LEADERSHIP_GROUP", "DECIDE")).escalation()));
        assertTrue(chain.getMessage().startsWith("escalation.reporting.levels.MAJOR.leadershipGroup: AT_ONCE or NONE"), chain.getMessage());
    }

    @Test
    void theClassifiersReasonsReadInThePlansLanguage() {
        Texts zh = new Texts("zh-CN", java.time.ZoneId.of("Asia/Shanghai"));
        assertEquals("近期评论达到 100", zh.reason("comments>=100"));
        assertEquals("有帖子需要答复", zh.reason("a post needs a reply"));
        assertEquals("人工判定（设定级别为重大，王主任）：涉及学生安全", zh.reason("people's judgement (set-level MAJOR by 王主任): 涉及学生安全"));
        assertEquals("人工判定（排除，李老师）：与本校无关", zh.reason("people's judgement (dismiss by 李老师): 与本校无关"));
        assertEquals("something new", zh.reason("something new"), "what it does not know stays as written");
    }

    @Test
    void everyDutyHasItsWordsInBothLanguages() {
        for (String locale : List.of("zh-CN", "en")) {
            Texts texts = new Texts(locale, java.time.ZoneId.of("Asia/Shanghai"));
            for (Duty d : Duty.values()) {
                assertTrue(!texts.duty(d, "县", Duration.ofHours(1)).isBlank(), locale + " " + d);
            }
        }
    }
}
