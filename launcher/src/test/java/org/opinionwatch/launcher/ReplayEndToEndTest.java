package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.launcher.report.Budget;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.ingest.publish.PublishOrder;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.replay.ReplayProgress;
import org.opinionwatch.launcher.replay.Speed;

/**
 * A CED archive through all three stages on a real broker, checked against an independent count. Subclasses say
 * which archive: the bundled sample, or the whole dataset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReplayEndToEndTest {
    Replay.Result result;
    /**
     * The same archive published as a backlog in every partition, one partition whole after the other, on four
     * partitions where the first run has the default three; or null.
     */
    List<OutputEvent> byPartition;
    Map<String, IndependentCount.Expected> expected;
    /** What the run with an office on time asked of people. */
    Budget budget;

    abstract Path dataset();

    /** Whether to replay the archive a second time, published partition by partition on four partitions, and compare. */
    boolean alsoByPartition() {
        return false;
    }

    @BeforeAll
    void replay(@TempDir Path dir) throws Exception {
        // The independent count knows the plan's engagement thresholds, not the lexicons nor story grouping: with
        // the sensitive domains emptied, no MAJOR incident is made CRITICAL by its topic, and with grouping off each
        // original post is one incident (grouping has tests of its own), so the counts must agree exactly.
        Path config = dir.resolve("thresholds-only.yaml");
        Files.writeString(config, "classifier:\n  grouping: { enabled: false }\n  sensitiveDomains:\n" + java.util.Arrays.stream(new String[] {"emergency",
                "public-safety", "food", "health", "natural-disaster", "production-quality", "security-secrecy"})
                .map(d -> "    " + d + ": []\n").collect(java.util.stream.Collectors.joining()));
        OpinionWatchConfig settings = settings(config, Map.of()).inNamespace("e2e-" + System.nanoTime() + ".");
        try (StageMetrics metrics = StageMetrics.start(settings, false)) {
            result = Replay.run(settings, ArchiveFormat.WEIBO_CED, dataset(), metrics, r -> { });
        }
        if (alsoByPartition()) {
            OpinionWatchConfig again = settings(config, Map.of("OW_KAFKA_PARTITIONS", "4")).inNamespace("e2e-partition-" + System.nanoTime() + ".");
            try (StageMetrics metrics = StageMetrics.start(again, false)) {
                byPartition = Replay.run(again, ArchiveFormat.WEIBO_CED, dataset(), Speed.MAX, PublishOrder.PARTITION, ReplayProgress.SILENT,
                        metrics, Replay.Stages.STOPPING, Replay.Result::events);
            }
        }
        expected = IndependentCount.of(dataset());
        List<SeverityChange> changes = events("incidents.severity").stream().map(e -> e.as(SeverityChange.class)).toList();
        List<Notification> notifications = events("notifications").stream().map(e -> Topics.NOTIFICATION.parse(e.event().toString())).toList();
        Map<String, Case> cases = new TreeMap<>();
        result.cases().forEach(e -> cases.put(e.key(), EscalationTopology.CASE_JSON.parse(e.event().toString())));
        budget = Budget.of(changes, notifications, cases, ZoneId.of("Asia/Shanghai"));
    }

    /**
     * A backlog in every partition gives, line for line, the events of the archive in event-time order; and so do
     * four partitions instead of three.
     */
    @Test
    void neitherThePartitionsArrivalOrderNorTheirNumberChangesAnEvent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(byPartition != null, "replayed in event-time order only");
        assertEquals(lines(result.events()), lines(byPartition));
    }

    private static OpinionWatchConfig settings(Path config, Map<String, String> env) {
        return ConfigLoader.load(config, env).withOffice(OpinionWatchConfig.SimulatedOffice.ON_TIME)
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
    }

    private static List<String> lines(List<OutputEvent> events) {
        return events.stream().map(e -> e.topic() + " " + e.key() + " " + e.time() + " " + e.event()).toList();
    }

    @Test
    void firstMajorAndCriticalLandAtTheInstantsOfTheIndependentCount() {
        Map<String, Instant> major = new TreeMap<>();
        Map<String, Instant> critical = new TreeMap<>();
        for (OutputEvent e : events("incidents.severity")) {
            String to = e.event().path("to").asText();
            Instant at = Instant.parse(e.event().path("at").asText());
            if (to.equals("MAJOR") || to.equals("CRITICAL")) {
                major.putIfAbsent(e.key(), at);
            }
            if (to.equals("CRITICAL")) {
                critical.putIfAbsent(e.key(), at);
            }
        }
        Map<String, Instant> expectedMajor = new TreeMap<>();
        Map<String, Instant> expectedCritical = new TreeMap<>();
        expected.forEach((id, x) -> {
            if (x.major() != null) {
                expectedMajor.put(id, x.major());
            }
            if (x.critical() != null) {
                expectedCritical.put(id, x.critical());
            }
        });
        assertTrue(expectedMajor.size() >= 5, "the sample shows MAJOR incidents");
        assertTrue(expectedCritical.size() >= 2, "the sample shows CRITICAL incidents");
        assertEquals(expectedMajor, major);
        assertEquals(expectedCritical, critical);
    }

    @Test
    void everyIncidentsLevelChangesFormOneChainFromNone() {
        Map<String, List<OutputEvent>> byIncident = new TreeMap<>();
        events("incidents.severity").forEach(e -> byIncident.computeIfAbsent(e.key(), k -> new java.util.ArrayList<>()).add(e));
        assertEquals(expected.keySet(), byIncident.keySet(), "every usable original post is one incident");
        byIncident.forEach((id, changes) -> {
            assertEquals("NONE", changes.get(0).event().path("from").asText(), id);
            for (int i = 1; i < changes.size(); i++) {
                assertEquals(changes.get(i - 1).event().path("to").asText(), changes.get(i).event().path("from").asText(), id);
            }
        });
    }

    /**
     * Every rise to MAJOR is reported to the leadership group at once: by a notification listing report-to-leadership
     * at its instant, due within escalation.atOnce, or, for a GENERAL incident that the growth or a forecast had put on
     * the major procedure already, by the one that did so (a digest, when that was at night and the rise after it),
     * since it last fell below MAJOR. The round of checkpoints runs hourly for 24 h from the rise.
     */
    @Test
    void majorIncidentsAreReportedToTheLeadershipAtOnceAndTrackedHourlyFor24Hours() {
        for (OutputEvent change : events("incidents.severity")) {
            if (!change.event().path("to").asText().equals("MAJOR") || !change.event().path("from").asText().matches("NONE|MINOR|GENERAL")) {
                continue; // rises to MAJOR only; a fall from CRITICAL to MAJOR is no new report
            }
            Instant at = Instant.parse(change.event().path("at").asText());
            Instant since = events("incidents.severity").stream()
                    .filter(c -> c.key().equals(change.key()) && Instant.parse(c.event().path("at").asText()).isBefore(at)
                            && Level.valueOf(c.event().path("to").asText()).compareTo(Level.MAJOR) < 0
                            && Level.valueOf(c.event().path("from").asText()).compareTo(Level.MAJOR) >= 0)
                    .map(c -> Instant.parse(c.event().path("at").asText())).reduce((a, b) -> b).orElse(Instant.EPOCH);
            List<JsonNode> reports = events("notifications").stream()
                    .filter(n -> (n.key().equals(change.key()) || textList(n.event().path("incidentIds")).contains(change.key()))
                            && n.event().path("role").asText().equals("LEADERSHIP_GROUP")
                            && textList(n.event().path("duties")).contains("report-to-leadership"))
                    .map(OutputEvent::event)
                    .filter(n -> !Instant.parse(n.path("at").asText()).isAfter(at) && !Instant.parse(n.path("at").asText()).isBefore(since))
                    .toList();
            assertEquals(1, reports.size(), change.key() + " at " + at);
            // At once: its deadline is escalation.atOnce after it reached the leadership (a digest: at the end of the night).
            JsonNode report = reports.get(0);
            Instant reached = Instant.parse(report.path(report.path("deliverAt").isTextual() ? "deliverAt" : "at").asText());
            assertEquals(reached.plus(Duration.ofMinutes(30)), Instant.parse(report.path("deadlines").path("report-to-leadership").asText()),
                    "MAJOR is reported at once: within escalation.atOnce");
            List<Instant> checkpoints = events("tracking").stream()
                    .filter(t -> t.key().equals(change.key()))
                    .map(t -> Instant.parse(t.event().path("at").asText()))
                    .filter(t -> t.isAfter(at) && !t.isAfter(at.plus(Duration.ofHours(24))) && Duration.between(at, t).toMillis() % 3_600_000 == 0)
                    .toList();
            // This round's checkpoints, whole hours after the rise (their level follows the incident's: a fall
            // continues the round), up to the incident's next rise to GENERAL or above, which starts a round of its own.
            Instant nextRise = events("incidents.severity").stream()
                    .filter(c -> c.key().equals(change.key()) && Instant.parse(c.event().path("at").asText()).isAfter(at)
                            && Level.valueOf(c.event().path("to").asText()).isAbove(Level.valueOf(c.event().path("from").asText()))
                            && Level.valueOf(c.event().path("to").asText()).compareTo(Level.GENERAL) >= 0)
                    .map(c -> Instant.parse(c.event().path("at").asText())).findFirst().orElse(null);
            List<Instant> due = new java.util.ArrayList<>();
            for (int k = 1; k <= 24; k++) {
                Instant checkpoint = at.plus(Duration.ofHours(k));
                if (nextRise == null || checkpoint.isBefore(nextRise)) {
                    due.add(checkpoint);
                }
            }
            assertEquals(due, checkpoints, change.key());
        }
    }

    /** What the plan promises the office, on every notification of the run (the office doing each duty on time). */
    @Test
    void thePlanKeepsItsPromisesToTheOffice() {
        assertEquals(0, budget.bulletinsBelowMajor(), "no bulletin but the closing one about an incident below MAJOR");
        assertEquals(0, budget.atNight(), "nothing about a MINOR or GENERAL incident delivered 22:00-07:00");
        assertEquals(0, budget.notChinese(), "more Chinese characters than Latin letters in every notification");
        assertEquals(0L, budget.dutiesLeftOut(), "no duty the plan gives a role left out");
    }

    private static List<String> textList(JsonNode array) {
        List<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Test
    void everythingReadIsPublishedOrRejected() {
        long snapshots = expected.values().stream().mapToLong(x -> 1 + x.reactions()).sum();
        long unusable = expected.values().stream().mapToLong(IndependentCount.Expected::unusable).sum();
        assertEquals(snapshots, result.ingest().published(), "the original and one snapshot per reaction");
        assertEquals(unusable, result.ingest().rejected(), "duplicate and undated reactions go to posts.dlq");
        assertTrue(unusable > 0, "the sample holds some of the dataset's quirks");
    }

    private List<OutputEvent> events(String topic) {
        return result.events().stream().filter(e -> e.topic().equals(topic)).toList();
    }
}
