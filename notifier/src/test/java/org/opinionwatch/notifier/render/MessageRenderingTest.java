package org.opinionwatch.notifier.render;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.link.ActionLink;
import org.opinionwatch.notifier.Fixtures;

class MessageRenderingTest {
    private static final String SECRET = "links-secret-0123456789-0123456789";
    private static final Instant NOW = Instant.parse("2024-05-01T09:05:00Z");

    private static Notification withTitle(String title) {
        Notification n = Fixtures.triage("n-1");
        return new Notification(n.id(), n.kind(), n.incidentId(), null, n.subject(), n.level(), n.role(), n.duties(), n.deadlines(),
                "【一般舆情】「" + title + "」\n请舆情办公室：\n1. 研判并转交责任部门", n.at(), n.due(), null, new PostRef("p", "https://bbs.example.edu/t/(42)", title),
                n.metrics(), null);
    }

    @Test
    void textFromAPostCannotMentionLinkOrRestyleInAnyRobot() {
        String hostile = "<@all> <font color=\"warning\">x</font> [点我](https://evil.example) **粗** # 标题";
        for (Markdown.Flavor flavor : Markdown.Flavor.values()) {
            String md = Markdown.render(Fixtures.message(withTitle(hostile)), flavor, 4096, true);
            assertFalse(md.contains("<@all>") || md.contains("<font") || md.contains("[点我](") || md.contains("**粗**"), flavor + ": " + md);
            assertTrue(md.contains("＜@all＞") && md.contains("［点我］"), "still readable: " + md);
            assertTrue(md.contains("(https://bbs.example.edu/t/%2842%29)"), "a URL cannot close the link early: " + md);
        }
    }

    @Test
    void aMessageIsCutAtItsBudgetBetweenCharactersKeepingTheFrame() {
        String cut = Markdown.cut("舆情a", 4);
        assertEquals("舆情a".substring(0, 1), Markdown.cut("舆情a", 5), "a character is never split");
        assertEquals("舆", cut);
        String whole = Markdown.fit("head", "x".repeat(100), "…", 50);
        assertEquals(50, whole.getBytes(UTF_8).length);
        assertTrue(whole.startsWith("head") && whole.endsWith("…"));
    }

    @Test
    void linksForEachDutyWithADeadlineAndNotRelevantForTheOfficeSignedAndTheSameInEveryDelivery() throws ActionLink.Invalid {
        Links links = new Links(new OpinionWatchConfig.ActionLinks("https://ow.example.edu", SECRET, Duration.ofDays(3)), Clock.fixed(NOW, ZoneOffset.UTC));
        Message m = links.message(Fixtures.triage("n-1"), new byte[0], Fixtures.office(Fixtures.ZHANG), Fixtures.ZH);
        assertEquals(List.of("已转交", "不相关"), m.links().stream().map(Message.Link::label).toList());
        String url = m.links().get(0).url();
        assertTrue(url.startsWith("https://ow.example.edu/links/"), url);
        ActionLink link = ActionLink.verify(url.substring("https://ow.example.edu/links/".length()), SECRET, NOW);
        assertEquals("triage-and-forward", link.action());
        assertEquals("bbs.example.edu/t/42", link.incidentId());
        assertEquals("张老师", link.person(), "the one on duty is proposed as who acted");
        assertEquals(NOW.plus(Duration.ofDays(3)), link.expires());
        assertEquals("zh-CN", link.lang());
        assertTrue(m.actionsIntro().contains("5月4日 17:05前有效"), m.actionsIntro());

        Notification digest = new Notification("d", Notification.Kind.DIGEST, null, List.of("a", "b"), "all", null, org.opinionwatch.contract.event.Role.OFFICE,
                List.of("review"), java.util.Map.of("review", NOW), "digest", NOW, NOW, NOW, null, null, null);
        assertEquals(List.of(), links.message(digest, new byte[0], Fixtures.office(), Fixtures.ZH).links(), "a digest lists several incidents: no links");
        Links off = new Links(new OpinionWatchConfig.ActionLinks("", "", Duration.ofDays(3)), Clock.systemUTC());
        assertEquals(List.of(), off.message(Fixtures.triage("n-1"), new byte[0], Fixtures.office(), Fixtures.ZH).links());
        assertThrows(ConfigException.class, () -> new Links(new OpinionWatchConfig.ActionLinks("https://ow.example.edu", "short", Duration.ofDays(1)),
                Clock.systemUTC()));
    }

    @Test
    void aDepartmentIsAskedByItsNameAndNobodyIsMentioned() {
        var logistics = new org.opinionwatch.notifier.route.Audience("department:logistics", "后勤处", List.of("deptWecom"), List.of(), List.of(), List.of());
        Message m = new Message(Fixtures.triage("n-1"), new byte[0], logistics, Fixtures.ZH, List.of(), null);
        String md = Markdown.render(m, Markdown.Flavor.WECOM, 4096, true);
        assertTrue(md.contains("请 后勤处 处理") && !md.contains("<@"), md);
    }

    @Test
    void theFrameSpeaksThePlansLanguage() {
        Frame en = new Frame("en", ZoneId.of("Asia/Shanghai"));
        Message m = new Message(Fixtures.triage("n-1"), new byte[0], Fixtures.office(Fixtures.ZHANG), en, List.of(), null);
        assertTrue(m.facts().contains("views 320 · comments 41 · mainstream outlets 0"), m.facts().toString());
        assertEquals("Forwarded", en.label("triage-and-forward"));
        assertEquals("Done", en.label("a-duty-of-a-later-release"));
        assertTrue(MailBody.text(m).contains("For 张老师"), MailBody.text(m));
    }
}
