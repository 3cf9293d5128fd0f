package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;

class ResponsePlanTest {
    static final OpinionWatchConfig.Escalation DEFAULTS = org.opinionwatch.contract.config.ConfigLoader.load(null, java.util.Map.of()).escalation();
    static final Instant AT = Instant.parse("2024-06-03T14:00:00Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "食堂饭菜有问题");

    private final ResponsePlan plan = new ResponsePlan(DEFAULTS);

    static SeverityChange change(Level from, Level to) {
        return change(from, to, List.of());
    }

    static SeverityChange change(Level from, Level to, List<String> categories) {
        return new SeverityChange("inc-1", "canteen", from, to, List.of("comments>=100"), new WindowMetrics(900, 100, 0),
                Duration.ofHours(24), AT, AT.plusSeconds(5), ROOT, List.of(ROOT), categories, List.of());
    }

    private static List<String> duties(List<Notification> notifications) {
        return notifications.stream().map(n -> n.role() + " " + n.duty()).toList();
    }

    @Test
    void minorTellsTheDepartmentAndGoesIntoTheDailyReport() {
        List<Notification> out = plan.onLevelChange(change(Level.NONE, Level.MINOR));
        assertEquals(List.of("DEPARTMENT inform-department", "OFFICE include-in-daily-report"), duties(out));
        out.forEach(n -> assertNull(n.due(), n.duty() + " has no deadline"));
    }

    @Test
    void generalIsForwardedWithinTwoHoursAndAnsweredWithinADay() {
        List<Notification> out = plan.onLevelChange(change(Level.MINOR, Level.GENERAL));
        assertEquals(List.of("OFFICE triage-and-forward", "DEPARTMENT respond", "LEADERSHIP_GROUP receive-result"), duties(out));
        assertEquals(AT.plus(Duration.ofHours(2)), out.get(0).due());
        assertEquals(AT.plus(Duration.ofDays(1)), out.get(1).due());
        assertEquals(AT.plus(Duration.ofDays(1)), out.get(2).due());
        assertTrue(out.get(0).instructions().contains("研判") && out.get(0).instructions().contains("within 2 h"),
                out.get(0).instructions());
        assertTrue(out.get(1).instructions().contains("within 1 day"), out.get(1).instructions());
    }

    @Test
    void majorGoesToTheLeadershipAtOnceAndSpeaksWithOneVoice() {
        List<Notification> out = plan.onLevelChange(change(Level.GENERAL, Level.MAJOR));
        assertEquals(List.of("LEADERSHIP_GROUP report-to-leadership", "LEADERSHIP_GROUP convene-emergency-meeting",
                "SPOKESPERSON speak-with-one-voice", "OFFICE track-continuously"), duties(out));
        Instant atOnce = AT.plus(Duration.ofMinutes(30));
        assertEquals(atOnce, out.get(0).due(), "at once: within escalation.atOnce");
        assertEquals(atOnce, out.get(1).due());
        assertNull(out.get(2).due(), "one voice is a standing instruction");
        assertNull(out.get(3).due());
        assertTrue(out.get(0).instructions().startsWith("Report to the leadership group (领导小组) within 30 min (at once):"), out.get(0).instructions());
        assertTrue(out.get(2).instructions().contains("nobody else speaks to the media"), out.get(2).instructions());
    }

    @Test
    void criticalIsMajorPlusTheSuperiorAuthority() {
        List<Notification> out = plan.onLevelChange(change(Level.MAJOR, Level.CRITICAL));
        assertEquals(List.of("LEADERSHIP_GROUP report-to-leadership", "SUPERIOR_AUTHORITY report-to-superior-authority",
                "LEADERSHIP_GROUP convene-emergency-meeting", "SPOKESPERSON speak-with-one-voice", "OFFICE track-continuously"),
                duties(out));
        assertEquals(AT.plus(Duration.ofMinutes(30)), out.get(1).due());
        assertTrue(out.get(1).instructions().contains("上级主管部门"), out.get(1).instructions());
    }

    @Test
    void aJumpGivesTheDutiesOfTheLevelReached() {
        assertEquals(duties(plan.onLevelChange(change(Level.GENERAL, Level.MAJOR))),
                duties(plan.onLevelChange(change(Level.NONE, Level.MAJOR))));
    }

    @Test
    void reachingGeneralAddsThePlaybookOfTheFirstCategory() {
        List<Notification> rumour = plan.onLevelChange(change(Level.MINOR, Level.GENERAL, List.of("rumour", "complaint")));
        assertEquals(List.of("OFFICE triage-and-forward", "DEPARTMENT respond", "LEADERSHIP_GROUP receive-result",
                "SPOKESPERSON publish-facts"), duties(rumour), "rumour outranks complaint: publish the facts");
        assertEquals(AT.plus(Duration.ofHours(2)), rumour.get(3).due());
        List<Notification> attack = plan.onLevelChange(change(Level.NONE, Level.MAJOR, List.of("attack")));
        assertEquals(List.of("SPOKESPERSON publish-facts", "LEADERSHIP_GROUP refer-to-law-enforcement"),
                duties(attack.subList(attack.size() - 2, attack.size())));
        List<Notification> inquiry = plan.onLevelChange(change(Level.NONE, Level.GENERAL, List.of("inquiry")));
        assertEquals("DEPARTMENT reply-at-once", duties(inquiry).get(3));
        assertEquals(AT.plus(Duration.ofMinutes(30)), inquiry.get(3).due());
        assertEquals(3, plan.onLevelChange(change(Level.NONE, Level.GENERAL, List.of("praise"))).size(), "praise has no playbook");
        assertEquals(4, plan.onLevelChange(change(Level.GENERAL, Level.MAJOR, List.of("rumour"))).size(),
                "the playbook came with GENERAL already");
    }

    @Test
    void anUnknownPlaybookDutyNamesTheKey() {
        var d = DEFAULTS;
        var bad = new OpinionWatchConfig.Escalation("e", d.atOnce(), d.forwardWithin(), d.respondWithin(), d.remindBefore(),
                d.trackingEvery(), d.trackingFor(), d.growingCheckpoints(), d.bulletinEvery(), d.dailyReport(), d.aftercare(),
                d.reviewWithin(), d.roles(), java.util.Map.of("rumour", List.of("ignore-it")), d.actions(), d.metricsPort());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.opinionwatch.contract.config.ConfigException.class, () -> new ResponsePlan(bad));
        assertTrue(e.getMessage().startsWith("escalation.playbook.rumour: no playbook duty 'ignore-it'"), e.getMessage());
    }

    @Test
    void aLoweringTellsTheOffice() {
        List<Notification> out = plan.onLevelChange(change(Level.MAJOR, Level.GENERAL));
        assertEquals(List.of("OFFICE level-lowered"), duties(out));
        assertNull(out.get(0).due());
        assertEquals(Level.GENERAL, out.get(0).level());
        assertTrue(out.get(0).instructions().contains("from major (重大/较大) to general (一般)"), out.get(0).instructions());
    }

    @Test
    void noChangeNoNotification() {
        assertEquals(List.of(), plan.onLevelChange(change(Level.GENERAL, Level.GENERAL)));
    }

    @Test
    void notificationsCarryTheChangeAndDeterministicIds() {
        SeverityChange c = change(Level.MAJOR, Level.CRITICAL);
        List<Notification> out = plan.onLevelChange(c);
        for (Notification n : out) {
            assertEquals("inc-1", n.incidentId());
            assertEquals("canteen", n.subject());
            assertEquals(Level.CRITICAL, n.level());
            assertEquals(AT, n.at());
            assertEquals(ROOT, n.rootPost());
            String name = "inc-1|CRITICAL|" + n.role() + "|" + n.duty() + "|" + AT.toEpochMilli();
            assertEquals(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(), n.id());
            assertTrue(n.instructions().endsWith(".") && n.instructions().chars().anyMatch(ch -> ch >= 0x4E00 && ch <= 0x9FFF),
                    "one sentence with the plan's Chinese term: " + n.instructions());
        }
        assertEquals(out.size(), new HashSet<>(out.stream().map(Notification::id).toList()).size(), "ids are distinct");
        assertEquals(out, new ResponsePlan(DEFAULTS).onLevelChange(c), "a re-run gives the same notifications");
    }

    @Test
    void deadlinesComeFromTheConfiguration() {
        var d = DEFAULTS;
        ResponsePlan quick = new ResponsePlan(new OpinionWatchConfig.Escalation("escalation", d.atOnce(),
                Duration.ofMinutes(30), Duration.ofHours(4), d.remindBefore(), Duration.ofMinutes(15), Duration.ofHours(2),
                d.growingCheckpoints(), d.bulletinEvery(), d.dailyReport(), d.aftercare(), d.reviewWithin(), d.roles(), d.playbook(), d.actions(), d.metricsPort()));
        List<Notification> out = quick.onLevelChange(change(Level.NONE, Level.GENERAL));
        assertEquals(AT.plus(Duration.ofMinutes(30)), out.get(0).due());
        assertEquals(AT.plus(Duration.ofHours(4)), out.get(1).due());
        assertTrue(out.get(0).instructions().contains("within 30 min"), out.get(0).instructions());
        assertTrue(quick.onLevelChange(change(Level.NONE, Level.MAJOR)).get(3).instructions().contains("every 15 min"));
    }
}
