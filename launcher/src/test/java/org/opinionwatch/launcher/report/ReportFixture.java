package org.opinionwatch.launcher.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.CasePlan;
import org.opinionwatch.escalation.plan.Output;
import org.opinionwatch.escalation.plan.Silences;
import org.opinionwatch.escalation.plan.Step;
import org.opinionwatch.escalation.plan.Timer;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/**
 * A small run's outputs, made by the escalation's own plan from a script: an incident that is triaged, rises to MAJOR
 * on comments, has its report acknowledged but not its meeting, falls back, subsides and is reviewed; a quiet MINOR
 * one; a daily report. Times are office hours in Beijing, so that nothing waits for a digest.
 */
final class ReportFixture {
    /** Wednesday 08:00 in Beijing. */
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    static final String HOT = "bbs.example.edu/t/42";
    static final String QUIET = "bbs.example.edu/t/7";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final RunReport.Run RUN = new RunReport.Run("forum.jsonl", "jsonl", "replay-1.", "max", "defaults", T0,
            T0.plus(Duration.ofDays(3)), 80);

    final List<OutputEvent> events = new ArrayList<>();
    private final CasePlan plan = new CasePlan(ConfigLoader.load(null, Map.of()));
    private final Map<String, Case> cases = new TreeMap<>();
    private final TreeMap<String, Timer> timers = new TreeMap<>();

    ReportFixture() {
        PostRef root = new PostRef(HOT, "https://bbs.example.edu/t/42", "食堂饭菜有异物 <script>");
        change(HOT, root, Level.NONE, Level.GENERAL, List.of("a post needs a reply"), 0, 0, 0);
        for (int h = 1; h <= 10; h++) {
            state(HOT, root, h < 6 ? Level.GENERAL : Level.MAJOR, 20L * h, 150L * h, h);
            if (h == 1) {
                act(Action.done(HOT, "triage-and-forward", "王老师", "转后勤处", hours(1.5)));
            }
            if (h == 6) {
                change(HOT, root, Level.GENERAL, Level.MAJOR, List.of("comments>=100", "views>=1000"), 120, 900, 6);
                act(Action.done(HOT, "report-to-leadership", "张老师", "", hours(6.25)));
            }
        }
        state(HOT, root, Level.GENERAL, 60, 400, 30);
        change(HOT, root, Level.MAJOR, Level.GENERAL, List.of("below MAJOR thresholds less 20% for PT6H"), 60, 400, 30);
        PostRef quiet = new PostRef(QUIET, null, "图书馆开放时间");
        change(QUIET, quiet, Level.NONE, Level.MINOR, List.of(), 0, 0, 30);
        state(QUIET, quiet, Level.MINOR, 3, 0, 30);
        change(HOT, root, Level.GENERAL, Level.NONE, List.of("quiet for PT48H"), 0, 0, 80);
        until(hours(80 + 24 * 4));
        Notification daily = new Notification("d1", Notification.Kind.DAILY_REPORT, null, List.of(QUIET), null, Level.MAJOR,
                Role.LEADERSHIP_GROUP, List.of("daily-report"), Map.of(), "舆情日报（2024-05-01），详见附件。", hours(9.5), null, null, null, null,
                "# 舆情日报");
        events.add(event("notifications", "daily-report", hours(9.5), daily));
        cases.forEach((id, c) -> events.add(event(RunReport.CASES, id, hours(200), c)));
        events.sort(java.util.Comparator.comparing(OutputEvent::time)); // as OutputReader gives them
    }

    static Instant hours(double h) {
        return T0.plusSeconds((long) (h * 3600));
    }

    private Case caseOf(String id) {
        return cases.getOrDefault(id, Case.fresh(id));
    }

    private void apply(Step step) {
        cases.put(step.after().incidentId(), step.after());
        step.timers().forEach(t -> timers.put(t.key(), t));
        for (Output o : step.outputs()) {
            switch (o.channel()) {
                case NOTIFICATIONS -> events.add(event("notifications", o.incidentId(), o.at(), ((Output.Notify) o).notification()));
                case TRACKING -> events.add(event("tracking", o.incidentId(), o.at(), ((Output.Track) o).checkpoint()));
                case ACTIONS -> events.add(event("actions", o.incidentId(), o.at(), ((Output.Act) o).action()));
                case DESK -> { }
            }
        }
    }

    private void until(Instant at) {
        while (!timers.isEmpty() && timers.firstEntry().getValue().due().isBefore(at)) {
            Timer t = timers.pollFirstEntry().getValue();
            apply(plan.fired(caseOf(t.incidentId()), t, Silences.NONE));
        }
    }

    private void change(String id, PostRef root, Level from, Level to, List<String> crossed, long comments, long views, double h) {
        until(hours(h));
        SeverityChange c = new SeverityChange(id, "all", from, to, crossed, new WindowMetrics(views, comments, 0), Duration.ofHours(24),
                hours(h), hours(h), root, List.of(), List.of("complaint"), List.of());
        events.add(event("incidents.severity", id, hours(h), c));
        apply(plan.levelChanged(caseOf(id), c, Silences.NONE));
    }

    private void state(String id, PostRef root, Level level, long comments, long views, double h) {
        until(hours(h));
        events.add(event("incidents", id, hours(h), new IncidentState(id, "all", level, new WindowMetrics(views, comments, 0),
                T0, hours(h), root, 1, List.of())));
        cases.put(id, caseOf(id).withMetrics(new WindowMetrics(views, comments, 0), hours(h)));
    }

    private void act(Action a) {
        until(a.at());
        events.add(event("actions", a.incidentId(), a.at(), a));
        apply(plan.acted(caseOf(a.incidentId()), a, Silences.NONE));
    }

    /** As the stages write them: the record with its schema, read back as a tree. */
    private static OutputEvent event(String topic, String key, Instant time, Object value) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.TOLERANT.valueToTree(value);
        tree.put("schema", switch (topic) {
            case "notifications" -> Notification.SCHEMA;
            case "actions" -> Action.SCHEMA;
            case "incidents.severity" -> SeverityChange.SCHEMA;
            case "incidents" -> IncidentState.SCHEMA;
            case RunReport.CASES -> "escalation-case/1";
            default -> "tracking/1";
        });
        return new OutputEvent(topic, key, time, tree);
    }

    RunReport build() {
        return RunReport.build(RUN, 2, events, ZONE);
    }
}
