package org.opinionwatch.launcher.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.escalation.plan.ResponsePlan;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/**
 * A small run's outputs, written as the stages write them: an incident that rises to MAJOR on comments, falls back
 * and subsides, with one deadline done in time, one missed and one still open; a quiet MINOR one; a daily report.
 */
final class ReportFixture {
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    static final String HOT = "bbs.example.edu/t/42";
    static final String QUIET = "bbs.example.edu/t/7";
    static final RunReport.Run RUN = new RunReport.Run("forum.jsonl", "jsonl", "replay-1.", "max", "defaults", T0,
            T0.plus(Duration.ofDays(3)), 80);

    final List<OutputEvent> events = new ArrayList<>();
    final Notification report;
    final Notification meeting;
    final Notification review;

    ReportFixture() {
        PostRef root = new PostRef(HOT, "https://bbs.example.edu/t/42", "食堂饭菜有异物 <script>");
        change(HOT, root, Level.NONE, Level.GENERAL, List.of("a post needs a reply"), 0, 0, 0);
        for (int h = 1; h <= 10; h++) {
            state(HOT, root, h < 6 ? Level.GENERAL : Level.MAJOR, 20L * h, 150L * h, h);
        }
        change(HOT, root, Level.GENERAL, Level.MAJOR, List.of("comments>=100", "views>=1000"), 120, 900, 6);
        report = notify(HOT, root, Level.MAJOR, Role.LEADERSHIP_GROUP, "report-to-leadership", 6, Duration.ofMinutes(30));
        meeting = notify(HOT, root, Level.MAJOR, Role.LEADERSHIP_GROUP, "convene-emergency-meeting", 6, Duration.ofMinutes(30));
        notify(HOT, root, Level.MAJOR, Role.OFFICE, "track-continuously", 6, null);
        events.add(event("actions", HOT, hours(6.25), new Action(null, HOT, Action.Kind.ACKNOWLEDGED, "张老师", "", hours(6.25))));
        // The report was acknowledged in time; the meeting too (the same action answers both). The review is not done.
        events.add(event("tracking", HOT, hours(7), new TrackingCheckpoint("c1", HOT, Level.MAJOR, 1, hours(7),
                new WindowMetrics(140, 1050, 0), new WindowMetrics(20, 150, 0), TrackingCheckpoint.Trend.RISING)));
        Notification respond = notify(HOT, root, Level.GENERAL, Role.DEPARTMENT, "respond", 0, Duration.ofHours(2));
        events.add(event("notifications", HOT, hours(2), overdue(respond, Role.OFFICE)));
        state(HOT, root, Level.GENERAL, 60, 400, 20);
        change(HOT, root, Level.MAJOR, Level.GENERAL, List.of("below MAJOR thresholds less 20% for PT6H"), 60, 400, 20);
        change(HOT, root, Level.GENERAL, Level.NONE, List.of("quiet for PT48H"), 0, 0, 68);
        review = notify(HOT, root, Level.MAJOR, Role.OFFICE, "review", 70, Duration.ofDays(7));

        PostRef quiet = new PostRef(QUIET, null, "图书馆开放时间");
        change(QUIET, quiet, Level.NONE, Level.MINOR, List.of(), 0, 0, 30);
        state(QUIET, quiet, Level.MINOR, 3, 0, 30);
        notify(QUIET, quiet, Level.MINOR, Role.DEPARTMENT, "inform-department", 30, null);
        Notification daily = new Notification("d1", "daily-report", "daily report 2024-05-01", Level.MAJOR, Role.LEADERSHIP_GROUP,
                "daily-report", "The daily opinion report", hours(9.5), null, null, "# 舆情日报");
        events.add(event("notifications", "daily-report", hours(9.5), daily));
        events.sort(java.util.Comparator.comparing(OutputEvent::time)); // as OutputReader gives them
    }

    static Instant hours(double h) {
        return T0.plusSeconds((long) (h * 3600));
    }

    private void change(String id, PostRef root, Level from, Level to, List<String> crossed, long comments, long views, double h) {
        events.add(event("incidents.severity", id, hours(h), new SeverityChange(id, "all", from, to, crossed,
                new WindowMetrics(views, comments, 0), Duration.ofHours(24), hours(h), hours(h), root, List.of(), List.of(), List.of())));
    }

    private void state(String id, PostRef root, Level level, long comments, long views, double h) {
        events.add(event("incidents", id, hours(h), new IncidentState(id, "all", level, new WindowMetrics(views, comments, 0),
                T0, hours(h), root, 1, List.of())));
    }

    private Notification notify(String id, PostRef root, Level level, Role role, String duty, double h, Duration within) {
        Instant at = hours(h);
        Notification n = new Notification(ResponsePlan.notificationId(id, level, role, duty, at), id, "all", level, role, duty,
                "do it", at, within == null ? null : at.plus(within), root, null);
        events.add(event("notifications", id, at, n));
        return n;
    }

    private static Notification overdue(Notification n, Role above) {
        return new Notification(ResponsePlan.uuid(n.id() + "|overdue"), n.incidentId(), n.subject(), n.level(), above, "overdue",
                "Overdue", n.due(), null, n.rootPost(), null);
    }

    private static OutputEvent event(String topic, String key, Instant time, Object value) {
        return new OutputEvent(topic, key, time, Json.TOLERANT.valueToTree(value));
    }

    RunReport build() {
        return RunReport.build(RUN, 2, events);
    }
}
