package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;

/** The plan as a state machine, without Kafka: a case, an input, the step that comes out. */
class CasePlanTest {
    static final OpinionWatchConfig.Escalation DEFAULTS = ConfigLoader.load(null, Map.of()).escalation();
    static final Instant T0 = Instant.parse("2024-06-03T02:00:00Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "食堂饭菜有问题");

    private final CasePlan plan = new CasePlan(DEFAULTS);

    static SeverityChange change(Level from, Level to, Instant at) {
        return new SeverityChange("inc-1", "canteen", from, to, List.of("comments>=100"), new WindowMetrics(900, 100, 0),
                Duration.ofHours(24), at, at, ROOT, List.of(ROOT), List.of("complaint"), List.of());
    }

    static List<Notification> notifications(Step step) {
        return step.outputs().stream().filter(o -> o.channel() == Output.Channel.NOTIFICATIONS)
                .map(o -> ((Output.Notify) o).notification()).toList();
    }

    /** Runs the timers of the step, and those they arm, up to and including {@code until}, in due order. */
    Step runTimers(Step step, Instant until, List<Notification> sent) {
        java.util.TreeMap<String, Timer> pending = new java.util.TreeMap<>();
        step.timers().forEach(t -> pending.put(t.key(), t));
        Case c = step.after();
        while (!pending.isEmpty() && !pending.firstEntry().getValue().due().isAfter(until)) {
            Timer t = pending.pollFirstEntry().getValue();
            step = plan.fired(c, t, t.due());
            c = step.after();
            sent.addAll(notifications(step));
            step.timers().forEach(x -> pending.put(x.key(), x));
        }
        return new Step(c, List.of(), List.copyOf(pending.values()));
    }

    @Test
    void aLevelChangeGivesItsDutiesTimersAndADeskEntry() {
        Step step = plan.levelChanged(Case.fresh("inc-1"), change(Level.MINOR, Level.GENERAL, T0));

        assertEquals(List.of("triage-and-forward", "respond", "receive-result", "reply-same-day"),
                notifications(step).stream().map(Notification::duty).toList());
        assertEquals(Level.GENERAL, step.after().level());
        assertEquals(4, step.after().pending().size(), "every duty with a deadline is pending");
        assertTrue(step.timers().stream().anyMatch(t -> t.kind() == Timer.Kind.CHECKPOINT && t.due().equals(T0.plus(Duration.ofHours(1)))));
        assertTrue(step.outputs().stream().anyMatch(o -> o.channel() == Output.Channel.DESK));
    }

    @Test
    void anActionFulfilsItsDutiesAndTheirTimersFireNothing() {
        Step opened = plan.levelChanged(Case.fresh("inc-1"), change(Level.MINOR, Level.GENERAL, T0));
        Step acted = plan.acted(opened.after(), Action.of("inc-1", Action.Kind.FORWARDED, "王老师", "", T0.plus(Duration.ofMinutes(40))));
        assertTrue(acted.after().pending().stream().noneMatch(p -> p.duty().equals("triage-and-forward")));

        List<Notification> sent = new java.util.ArrayList<>();
        runTimers(new Step(acted.after(), List.of(), opened.timers()), T0.plus(Duration.ofHours(3)), sent);
        assertTrue(sent.stream().noneMatch(n -> n.instructions().contains("triage-and-forward")), sent.toString());
    }

    @Test
    void anUndoneDutyIsRemindedThenOverdueToTheRoleAbove() {
        Step opened = plan.levelChanged(Case.fresh("inc-1"), change(Level.MINOR, Level.GENERAL, T0));
        List<Notification> sent = new java.util.ArrayList<>();
        runTimers(opened, T0.plus(Duration.ofHours(2)), sent);
        assertEquals(List.of("OFFICE reminder", "LEADERSHIP_GROUP overdue"), sent.stream().map(n -> n.role() + " " + n.duty()).toList());
    }
}
