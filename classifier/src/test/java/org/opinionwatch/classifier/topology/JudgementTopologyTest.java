package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;

/** People's judgement from {@code actions}, as the classifier applies it to an incident's level. */
class JudgementTopologyTest {
    private static final Instant T0 = ClassifierDriver.T0;

    private ClassifierDriver driver;
    private TestOutputTopic<String, SeverityChange> severity;
    private TestOutputTopic<String, IncidentState> incidents;

    @BeforeEach
    void start() {
        driver = new ClassifierDriver(ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "1")));
        severity = driver.severity;
        incidents = driver.incidents;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private List<String> changes() {
        return severity.readValuesToList().stream().map(c -> c.from() + ">" + c.to() + " " + String.join(" | ", c.crossed())).toList();
    }

    @Test
    void aLevelSetByPeopleShowsWithItsReasonAndTheAutomaticLevelDoesNotLowerIt() {
        driver.observe("p1", T0, 0);
        driver.observe("p1", T0.plusSeconds(60), 5);
        severity.readValuesToList();
        driver.act(new Action(null, "p1", Action.Kind.SET_LEVEL, null, Level.MAJOR, null, null, "王主任", "涉及学生安全", T0.plusSeconds(120)));
        assertEquals(List.of("MINOR>MAJOR people's judgement (set-level MAJOR by 王主任): 涉及学生安全"), changes());
        List<IncidentState> states = incidents.readValuesToList();
        assertEquals(Level.MAJOR, states.get(states.size() - 1).level(), "incidents shows it too");

        driver.heartbeat(T0.plus(Duration.ofDays(5)));
        assertEquals(List.of(), changes(), "quiet for days: the automatic level would subside, people's holds");

        driver.act(Action.of("p1", Action.Kind.CLEAR_LEVEL, "王主任", "", T0.plus(Duration.ofDays(5)).plusSeconds(1)));
        assertEquals(List.of("MAJOR>NONE people's judgement (clear-level by 王主任)"), changes());
    }

    @Test
    void aDismissedIncidentClosesAndItsRepostsDoNotReopenIt() {
        driver.observe("p1", T0, 0);
        driver.observe("p1", T0.plusSeconds(60), 120);
        assertEquals(List.of(Level.MINOR, Level.MAJOR), severity.readValuesToList().stream().map(SeverityChange::to).toList());
        driver.act(Action.of("p1", Action.Kind.DISMISS, "李老师", "与本校无关", T0.plusSeconds(120)));
        assertEquals(List.of("MAJOR>NONE people's judgement (dismiss by 李老师): 与本校无关"), changes());
        driver.observe("p1", T0.plusSeconds(180), 700);
        driver.heartbeat(T0.plus(Duration.ofDays(4)));
        assertEquals(List.of(), changes(), "500 more comments: still dismissed");
    }

    @Test
    void aMergedIncidentJoinsTheOtherWithItsCounts() {
        driver.observe("a", T0, 0);
        driver.observe("a", T0.plusSeconds(60), 60);
        driver.observe("b", T0.plusSeconds(90), 0);
        driver.observe("b", T0.plusSeconds(120), 60);
        severity.readValuesToList();
        driver.act(new Action(null, "a", Action.Kind.MERGE, null, null, "b", null, "李老师", "同一件事", T0.plusSeconds(150)));
        List<SeverityChange> out = severity.readValuesToList();
        assertEquals("a", out.get(0).incidentId());
        assertEquals(Level.NONE, out.get(0).to());
        assertEquals(List.of("joined incident b", "people's judgement (merge by 李老师): 同一件事"), out.get(0).crossed());
        assertEquals("b", out.get(1).incidentId());
        assertEquals(Level.MAJOR, out.get(1).to(), "b has both stories' 120 comments");
        assertTrue(out.get(1).metrics().comments() >= 120, out.get(1).toString());
    }
}
