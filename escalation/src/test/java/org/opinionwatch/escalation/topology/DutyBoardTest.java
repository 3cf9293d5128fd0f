package org.opinionwatch.escalation.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.CasePlan;
import org.opinionwatch.escalation.plan.Silences;

/** The duty board between commits: the topology's test shows it after each record, which the test driver commits. */
class DutyBoardTest {
    private static final Instant T0 = Instant.parse("2024-06-03T02:00:00Z");
    private static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "宿舍停水三天");
    private static final String TASK = "0_0";

    private final CasePlan plan = new CasePlan(ConfigLoader.load(null, Map.of()));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> registered = new ArrayList<>();
    private final DutyBoard board = new DutyBoard(registry);

    DutyBoardTest() {
        registry.config().onMeterAdded(m -> registered.add(m.getId().getName() + " " + m.getId().getTag("incident")));
    }

    private Case change(Case before, Level from, Level to, WindowMetrics metrics, Instant at) {
        return plan.levelChanged(before, new SeverityChange(before.incidentId(), "dormitory", from, to, List.of("comments>=20"), metrics,
                Duration.ofHours(24), at, at, ROOT, List.of(ROOT), List.of("complaint"), List.of()), Silences.NONE).after();
    }

    private List<Meter> shown() {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("escalation.open")).toList();
    }

    @Test
    void aCaseThatOpensAndClosesBetweenTwoCommitsRegistersNoGauge() {
        Case open = change(Case.fresh("inc-1"), Level.NONE, Level.GENERAL, new WindowMetrics(50, 25, 0), T0);
        Case closed = change(open, Level.GENERAL, Level.NONE, new WindowMetrics(0, 0, 0), T0.plus(Duration.ofHours(30)));
        board.stage(TASK, open);
        board.stage(TASK, closed);
        board.publish(TASK);
        assertEquals(List.of(), shown());
        assertEquals(List.of(), registered, "nothing registered, nothing removed");
    }

    @Test
    void aCommitShowsEachCaseAsItLastStoodWithTheCountsReportedAfterIt() {
        Case open = change(Case.fresh("inc-1"), Level.NONE, Level.GENERAL, new WindowMetrics(50, 25, 0), T0);
        board.stage(TASK, open);
        board.counts(TASK, "inc-1", new WindowMetrics(400, 30, 1));
        assertEquals(List.of(), shown(), "before the commit");

        board.publish(TASK);
        assertEquals(2, gauge("level"), "GENERAL");
        assertEquals(400, gauge("window.views"), "the counts reported after the step, not the step's own");
        board.counts(TASK, "inc-1", new WindowMetrics(500, 31, 1));
        assertEquals(500, gauge("window.views"), "counts between two steps go to the board at once: setting a gauge is cheap");

        Case major = change(open, Level.GENERAL, Level.MAJOR, new WindowMetrics(900, 120, 1), T0.plus(Duration.ofMinutes(20)));
        board.stage(TASK, major);
        assertEquals(2, gauge("level"), "the commit before");
        board.publish(TASK);
        assertEquals(3, gauge("level"));
        assertEquals(900, gauge("window.views"));
        assertEquals(1, registered.stream().filter(r -> r.startsWith("escalation.open.incident.level ")).count(), "registered once");

        board.forget(TASK);
        assertEquals(List.of(), shown(), "a task that leaves the instance takes its rows along");
        board.stage(TASK, major);
        board.forget(TASK);
        board.publish(TASK);
        assertEquals(List.of(), shown(), "and what it staged");
    }

    private double gauge(String name) {
        return registry.get("escalation.open.incident." + name).gauge().value();
    }
}
