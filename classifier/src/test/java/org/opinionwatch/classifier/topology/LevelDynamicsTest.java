package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.classifier.topology.ClassifierDriver.T0;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;

/** Levels over time, in event time, driven by posts and by heartbeats through quiet periods. */
class LevelDynamicsTest {
    @TempDir
    Path dir;

    private static Instant hours(double h) {
        return T0.plusMillis((long) (h * 3_600_000));
    }

    private static List<String> steps(List<SeverityChange> changes) {
        return changes.stream().map(c -> c.from() + "->" + c.to() + "@" + c.at()).toList();
    }

    private ClassifierDriver defaults() {
        return new ClassifierDriver(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void fallsOnlyAfterTheCoolDownBelowTheBandAtItsExactInstant() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 150);
            d.heartbeat(hours(29));     // the 150 comments left the window at 24 h: below the band since then
            assertEquals(List.of("NONE->MAJOR@" + T0), steps(d.severity.readValuesToList()), "the cool-down is not over at 29 h");
            d.heartbeat(hours(31));
            List<SeverityChange> changes = d.severity.readValuesToList();
            assertEquals(List.of("MAJOR->MINOR@" + hours(30)), steps(changes), "24 h expiry + 6 h cool-down");
            assertTrue(changes.get(0).crossed().get(0).startsWith("below MAJOR thresholds less 20% for PT6H"), changes.get(0).crossed().toString());
        }
    }

    @Test
    void aCountHoveringAtTheThresholdNeverFlaps() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 100);                 // MAJOR
            d.observe("p1", hours(23), 185);          // +85 that stays in the window until 47 h
            for (int h = 24; h <= 46; h++) {
                d.heartbeat(hours(h));
            }
            assertEquals(List.of("NONE->MAJOR@" + T0), steps(d.severity.readValuesToList()), "85 is within 20% of 100: no fall");
            d.heartbeat(hours(54));
            assertEquals(List.of("MAJOR->MINOR@" + hours(53)), steps(d.severity.readValuesToList()), "out at 47 h, down 6 h later");
        }
    }

    @Test
    void aReboundDuringTheCoolDownKeepsTheLevel() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 100);
            d.heartbeat(hours(26));                   // below the band since 24 h
            d.observe("p1", hours(27), 190);          // +90: back in the band before the cool-down ends at 30 h
            d.heartbeat(hours(32));
            assertEquals(List.of("NONE->MAJOR@" + T0), steps(d.severity.readValuesToList()));
        }
    }

    @Test
    void aQuietIncidentSubsidesAfterTheCalmPeriodAndCanRelapse() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 5);
            d.observe("p1", hours(2), 7);
            d.heartbeat(hours(49));
            assertEquals(List.of("NONE->MINOR@" + T0), steps(d.severity.readValuesToList()), "48 h after the last activity at 2 h is 50 h");
            d.heartbeat(hours(51));
            List<SeverityChange> subsided = d.severity.readValuesToList();
            assertEquals(List.of("MINOR->NONE@" + hours(50)), steps(subsided));
            assertEquals(List.of("quiet for PT48H"), subsided.get(0).crossed());
            d.observe("p1", hours(60), 8);
            assertEquals(List.of("NONE->MINOR@" + hours(60)), steps(d.severity.readValuesToList()), "a relapse reopens it");
        }
    }

    @Test
    void aMajorIncidentStepsDownThenSubsides() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 600);
            d.heartbeat(hours(100));
            assertEquals(List.of("NONE->CRITICAL@" + T0, "CRITICAL->MINOR@" + hours(30), "MINOR->NONE@" + hours(48)),
                    steps(d.severity.readValuesToList()));
        }
    }

    @Test
    void warnsOnceWhenThePaceWillCrossTheNextThresholdWithinTheHorizon() {
        try (ClassifierDriver d = defaults()) {
            d.observe("p1", T0, 0);
            d.observe("p1", hours(0.5), 40);          // 40 comments in the last hour: 60 more in 1.5 h
            List<ForecastWarning> warnings = d.forecasts.readValuesToList();
            assertEquals(1, warnings.size());
            ForecastWarning w = warnings.get(0);
            assertEquals(Level.MINOR, w.level());
            assertEquals(Level.MAJOR, w.next());
            assertEquals("comments", w.metric());
            assertEquals(hours(0.5), w.at());
            assertEquals(hours(2), w.expectedAt());
            d.observe("p1", hours(0.6), 45);
            assertTrue(d.forecasts.readValuesToList().isEmpty(), "warned once per target level");
            d.observe("p1", hours(0.7), 100);         // MAJOR: now the next warning would be for CRITICAL
            assertEquals(Level.MAJOR, d.severity.readValuesToList().get(1).to());
            d.observe("p1", hours(0.8), 300);
            assertEquals(Level.CRITICAL, d.forecasts.readValuesToList().get(0).next());
        }
    }

    @Test
    void heightenedWatchLowersTheThresholdsDuringItsPeriod() throws IOException {
        Path config = dir.resolve("watch.yaml");
        Files.writeString(config, """
                classifier:
                  heightenedWatch:
                    - { name: gaokao, from: "2024-05-01T00:00:00Z", to: "2024-05-05T00:00:00Z", factor: 0.5 }
                """);
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(config, Map.of()))) {
            d.observe("during", T0, 50);
            d.observe("after", Instant.parse("2024-05-06T00:00:00Z"), 50);
            List<SeverityChange> changes = d.severity.readValuesToList();
            // "during" is MAJOR at 50 comments, falls and subsides before "after" arrives, which at 50 stays MINOR
            assertEquals(List.of("during:MAJOR", "during:MINOR", "during:NONE", "after:MINOR"),
                    changes.stream().map(c -> c.incidentId() + ":" + c.to()).toList());
            assertEquals(List.of("comments>=50"), changes.get(0).crossed());
        }
    }

    private static Post post(String id, String title, String text, Instant at, long comments) {
        return new Post(id, "forum", "http://bbs/" + id, title, text, "student", T0, at, new Engagement(0, comments, 0, 0), false, null);
    }

    @Test
    void aPostThatNeedsAReplyOpensTheIncidentAsGeneral() {
        try (ClassifierDriver d = defaults()) {
            d.observe(post("ask", "請問宿舍熱水什麼時候恢復？", "已經三天沒有熱水了", T0, 0)); // Traditional script, an inquiry
            d.observe(post("mention", "今天校园开放日", "欢迎大家来参观", T0, 0));
            List<SeverityChange> changes = d.severity.readValuesToList();
            assertEquals(List.of("ask:GENERAL", "mention:MINOR"), changes.stream().map(c -> c.incidentId() + ":" + c.to()).toList());
            assertEquals(List.of("a post needs a reply"), changes.get(0).crossed());
        }
    }

    @Test
    void aMajorIncidentTouchingASensitiveDomainIsCritical() {
        try (ClassifierDriver d = defaults()) {
            d.observe(post("food", "一食堂多名学生食物中毒", "晚饭后多人腹痛", T0, 99));
            d.observe(post("food", "一食堂多名学生食物中毒", "晚饭后多人腹痛", hours(1), 100));
            List<SeverityChange> changes = d.severity.readValuesToList();
            assertEquals(List.of("NONE->MINOR@" + T0, "MINOR->CRITICAL@" + hours(1)), steps(changes));
            assertEquals(List.of("comments>=100", "sensitive domain: food, health"), changes.get(1).crossed(), "中毒 is health too");
        }
    }

    @Test
    void heartbeatsAloneAdvanceTimeWithNoIncidents() {
        try (ClassifierDriver d = defaults()) {
            d.heartbeat(hours(1));
            d.heartbeat(hours(100));
            assertTrue(d.severity.isEmpty());
            assertTrue(d.incidents.isEmpty());
        }
    }

}
