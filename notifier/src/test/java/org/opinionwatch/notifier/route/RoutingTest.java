package org.opinionwatch.notifier.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.config.OpinionWatchConfig.Shift;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.notifier.channel.Channels;

class RoutingTest {
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;

    /** Beijing time on a given date: 2024-05-03 is a Friday, 2024-05-04 a Saturday. */
    private static Instant beijing(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(BEIJING).toInstant();
    }

    @Test
    void theFirstShiftThatHoldsSaysWhoIsOnDutyANightShiftBelongingToTheDayItStarts() {
        Roster roster = new Roster(List.of(
                new Shift(List.of("wang"), List.of(), null, null, java.time.LocalDate.parse("2024-10-01"), java.time.LocalDate.parse("2024-10-07")),
                new Shift(List.of("zhang"), List.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0), null, null),
                new Shift(List.of("li"), List.of(java.time.DayOfWeek.FRIDAY), LocalTime.of(18, 0), LocalTime.of(8, 0), null, null)), BEIJING);
        assertEquals(Optional.of(List.of("zhang")), roster.onDuty(beijing("2024-05-03T08:00")), "Friday 08:00, the day shift starts");
        assertEquals(Optional.of(List.of("zhang")), roster.onDuty(beijing("2024-05-03T17:59")));
        assertEquals(Optional.of(List.of("li")), roster.onDuty(beijing("2024-05-03T18:00")), "the night shift, to 08:00 on Saturday");
        assertEquals(Optional.of(List.of("li")), roster.onDuty(beijing("2024-05-04T07:59")), "Saturday morning is Friday's night");
        assertEquals(Optional.empty(), roster.onDuty(beijing("2024-05-04T08:00")), "nobody on Saturday");
        assertEquals(Optional.empty(), roster.onDuty(beijing("2024-05-02T10:00")), "nor on Thursday");
        assertEquals(Optional.of(List.of("wang")), roster.onDuty(beijing("2024-10-04T10:00")), "the holiday's line comes first");
        assertEquals(Optional.of(List.of("wang")), roster.onDuty(beijing("2024-10-07T23:59")));
        assertEquals(Optional.empty(), roster.onDuty(beijing("2024-10-08T08:00")), "a Tuesday after the holiday");
    }

    private OpinionWatchConfig config() throws IOException {
        Path file = dir.resolve("routing.yaml");
        Files.writeString(file, """
                notifier:
                  channels:
                    officeWecom: { type: wecom }
                    leadersDing: { type: dingtalk }
                    logisticsMail: { type: email, host: smtp.example.edu, username: ow@example.edu, from: ow@example.edu }
                    deptWecom: { type: wecom }
                  webhooks:
                    OFFICE: { url: "https://hooks.example.edu/office" }
                  people:
                    zhang: { name: 张老师, email: zhang@example.edu }
                    li: { name: 李主任, mobile: "13800000002" }
                    zhao: { name: 赵科长, email: zhao@example.edu }
                  roles:
                    OFFICE:
                      channels: [officeWecom]
                      roster:
                        - { people: [zhang], days: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY], from: "08:00", to: "18:00" }
                    LEADERSHIP_GROUP:
                      channels: [leadersDing]
                      roster:
                        - { people: [li] }
                    DEPARTMENT: { channels: [deptWecom] }
                  departments:
                    logistics:
                      name: 后勤处
                      subjects: [canteen, dormitory]
                      channels: [logisticsMail]
                      roster:
                        - { people: [zhao], from: "08:00", to: "22:00" }
                """);
        return ConfigLoader.load(file, Map.of());
    }

    private static Notification to(Role role, String subject, Instant at) {
        return new Notification("n", Notification.Kind.DUTIES, "inc", null, subject, Level.GENERAL, role, List.of("respond"), Map.of(), "text",
                at, null, null, null, null, null);
    }

    @Test
    void aDepartmentNotificationGoesToTheDepartmentOfItsSubjectElseToTheDepartmentRole() throws IOException {
        OpinionWatchConfig config = config();
        Routing routing = new Routing(config, Channels.webhookNames(config));
        Audience logistics = routing.route(to(Role.DEPARTMENT, "canteen", beijing("2024-05-03T10:00"))).orElseThrow();
        assertEquals("department:logistics", logistics.id());
        assertEquals("后勤处", logistics.name());
        assertEquals(List.of("logisticsMail"), logistics.channels());
        assertEquals(List.of("zhao"), logistics.people());
        assertEquals("赵科长", logistics.persons().get(0).name());
        assertTrue(!logistics.fellBack());

        Audience other = routing.route(to(Role.DEPARTMENT, "library", beijing("2024-05-03T10:00"))).orElseThrow();
        assertEquals("DEPARTMENT", other.id());
        assertEquals(List.of("deptWecom"), other.channels());
        assertEquals(List.of(), other.people(), "no roster: the group, nobody in particular");
    }

    @Test
    void nobodyOnDutyFallsBackUpTheEscalationChain() throws IOException {
        OpinionWatchConfig config = config();
        Routing routing = new Routing(config, Channels.webhookNames(config));
        Audience office = routing.route(to(Role.OFFICE, "all", beijing("2024-05-03T10:00"))).orElseThrow();
        assertEquals(List.of("officeWecom", "webhooks.OFFICE"), office.channels(), "the role's channels and its webhook");
        assertEquals(List.of("zhang"), office.people());

        Audience saturday = routing.route(to(Role.OFFICE, "all", beijing("2024-05-04T10:00"))).orElseThrow();
        assertEquals("LEADERSHIP_GROUP", saturday.id(), "the office's roster has nobody on Saturday: the leadership group, which it escalates to");
        assertEquals(List.of("舆情办公室"), saturday.passedOver());
        assertEquals(List.of("li"), saturday.people());

        Audience night = routing.route(to(Role.DEPARTMENT, "dormitory", beijing("2024-05-03T23:00"))).orElseThrow();
        assertEquals("LEADERSHIP_GROUP", night.id(), "logistics has nobody at night, nor the office: up to the leadership");
        assertEquals(List.of("后勤处", "舆情办公室"), night.passedOver());

        Notification digest = new Notification("d", Notification.Kind.DIGEST, null, List.of("a"), "all", Level.GENERAL, Role.OFFICE,
                List.of(), Map.of(), "digest", beijing("2024-05-02T23:00"), null, beijing("2024-05-03T07:00").plusSeconds(3600 + 3600), null, null, null);
        assertEquals(List.of("zhang"), routing.route(digest).orElseThrow().people(), "a digest goes to who is on duty when it is delivered");

        assertTrue(routing.route(to(Role.SPOKESPERSON, "all", beijing("2024-05-03T10:00"))).isEmpty(), "a role without channels");
    }
}
