package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.launcher.pipeline.ConsumerLag;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * The escalation stage stopped mid-stream and started again, on another state directory (as on another machine: its
 * state comes back from the changelogs), gives exactly the notifications and checkpoints of an uninterrupted run of
 * the same input: none lost, none repeated.
 */
class EscalationRestartTest {
    private static final Instant T0 = Instant.parse("2024-06-03T14:00:00Z");
    private static final Instant END = T0.plus(Duration.ofDays(4));
    private static final Instant HALF = T0.plus(Duration.ofDays(2));
    private static final PostRef ROOT = new PostRef("p", "https://bbs.example.edu/t/p", "宿舍停水");

    @TempDir
    Path stateDir;

    @Test
    void aRestartMidStreamGivesTheNotificationsOfAnUninterruptedRun() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        OpinionWatchConfig base = ConfigLoader.load(null, Map.of()).withBootstrapServers(bootstrap).withStateDir(stateDir);
        OpinionWatchConfig straight = base.inNamespace("restart-a-" + System.nanoTime() + ".");
        OpinionWatchConfig interrupted = base.inNamespace("restart-b-" + System.nanoTime() + ".");
        for (OpinionWatchConfig c : List.of(straight, interrupted)) {
            TopicSetup.create(c, true);
        }
        publishScript(straight, T0, END);
        // The interrupted run gets the first half before its first instance stops, the rest after: a stop mid-stream
        // whatever the machine's speed, with cases open and deadlines, reminders and the day's report pending.
        publishScript(interrupted, T0, HALF);

        List<String> expected;
        try (MetricsEndpoint metrics = MetricsEndpoint.start("escalation", 0)) {
            KafkaStreams a = Escalation.start(straight, new Properties(), metrics);
            awaitCaughtUp(straight, a);
            stop(a);
            expected = ids(straight);
            assertEquals(Set.of(), board(metrics), "a stage that stops takes its duty board along");
            // Another instance that takes the cases over shows the open ones on the duty board from its restored store.
            Properties restored = new Properties();
            restored.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createDirectory(stateDir.resolve("takeover")).toString());
            KafkaStreams takeover = Escalation.start(straight, restored, metrics);
            long until = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
            while (board(metrics).size() < 3) {
                assertTrue(System.nanoTime() < until, "the restored cases never reached the duty board: " + board(metrics));
                Thread.sleep(50);
            }
            assertEquals(Set.of("inc-1", "inc-2", "inc-3"), board(metrics), "the open incidents; inc-0 subsided");
            assertTrue(expected.stream().anyMatch(e -> e.startsWith("DAILY_REPORT ") && e.contains("2024-06-06") && e.contains("5555")),
                    "the report after the stop shows inc-3's last checkpoint");
            takeover.close(Duration.ofSeconds(30));
            for (String kind : List.of("DUTIES report-to-leadership", "REMINDER ", "OVERDUE ", "BULLETIN bulletin", "DIGEST ", "DAILY_REPORT ",
                    "DUTIES review ", "checkpoint ")) {
                assertTrue(expected.stream().anyMatch(e -> e.startsWith(kind)), "the script gives " + kind + " among " + expected.size());
            }

            KafkaStreams first = Escalation.start(interrupted, new Properties(), metrics);
            awaitCaughtUp(interrupted, first);
            stop(first);
            int before = ids(interrupted).size();
            assertTrue(before > 0 && before < expected.size(), "stopped mid-stream: " + before + " of " + expected.size());
            publishScript(interrupted, HALF, END);
            Properties elsewhere = new Properties();
            elsewhere.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("elsewhere").toString());
            KafkaStreams second = Escalation.start(interrupted, elsewhere, metrics);
            awaitCaughtUp(interrupted, second);
            second.close(Duration.ofSeconds(30));
        }

        List<String> got = ids(interrupted);
        assertEquals(got.size(), new java.util.HashSet<>(got).size(), "none repeated");
        List<String> lost = expected.stream().filter(id -> !got.contains(id)).toList();
        List<String> extra = got.stream().filter(id -> !expected.contains(id)).toList();
        assertEquals(List.of(), lost, "none lost (" + lost.size() + " of " + expected.size() + ")");
        assertEquals(List.of(), extra, "nothing the uninterrupted run did not give (" + extra.size() + ")");
    }

    /**
     * Stops an instance as a clean shutdown does, leaving the group: the next instance takes its tasks over at once
     * rather than after the session timeout.
     */
    private static void stop(KafkaStreams streams) {
        streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }

    /** The incidents on the duty board: those whose level gauge the stage exports. */
    private static Set<String> board(MetricsEndpoint metrics) {
        return metrics.registry().find("escalation.open.incident.level").gauges().stream().map(g -> g.getId().getTag("incident"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Three incidents over four days (one subsides, and its aftercare ends in a review): rises, states, actions, a subsiding, and the classifier's progress every two minutes (enough input that a stop lands mid-stream). */
    private static void publishScript(OpinionWatchConfig c, Instant from, Instant until) throws Exception {
        Topics t = c.topicNames();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer())) {
            List<ProducerRecord<String, byte[]>> script = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = "inc-" + i;
                Instant open = T0.plus(Duration.ofMinutes(37L * i));
                script.add(record(t.timeline(), id, change(id, Level.NONE, Level.GENERAL, open, List.of("complaint")), open));
                script.add(record(t.timeline(), id, state(id, Level.GENERAL, 300, open.plus(Duration.ofHours(3))), open.plus(Duration.ofHours(3))));
                Instant major = open.plus(Duration.ofHours(5));
                script.add(record(t.timeline(), id, change(id, Level.GENERAL, Level.MAJOR, major, List.of("complaint")), major));
                script.add(record(t.actions(), id, Action.done(id, "triage-and-forward", "office", "", open.plus(Duration.ofMinutes(90))), open.plus(Duration.ofMinutes(90))));
                if (i == 0) {
                    script.add(record(t.actions(), id, Action.of(id, Action.Kind.RESOLVE, "office", "", major.plus(Duration.ofHours(2))), major.plus(Duration.ofHours(2))));
                    Instant calm = major.plus(Duration.ofHours(10));
                    script.add(record(t.timeline(), id, change(id, Level.MAJOR, Level.NONE, calm, List.of()), calm));
                }
            }
            // A round whose last checkpoint comes after one daily report and before the stop: the case holds it, and
            // the next report, after the restart, must show its counts.
            Instant open = T0.plus(Duration.ofHours(21));
            script.add(record(t.timeline(), "inc-3", change("inc-3", Level.NONE, Level.GENERAL, open, List.of("complaint")), open));
            script.add(record(t.timeline(), "inc-3", state("inc-3", Level.GENERAL, 4321, open.plus(Duration.ofHours(1))), open.plus(Duration.ofHours(1))));
            script.add(record(t.timeline(), "inc-3", state("inc-3", Level.GENERAL, 5555, open.plus(Duration.ofHours(23))), open.plus(Duration.ofHours(23))));
            int partitions = c.kafka().partitions();
            for (Instant at = T0; at.isBefore(END); at = at.plus(Duration.ofMinutes(2))) {
                for (int p = 0; p < partitions; p++) {
                    script.add(new ProducerRecord<>(t.timeline().name(), p, at.toEpochMilli(), null,
                            Topics.TIMELINE.serialize("", TimelineEntry.reached(at))));
                }
            }
            script.sort(java.util.Comparator.comparing(ProducerRecord::timestamp));
            for (ProducerRecord<String, byte[]> r : script) {
                if (r.timestamp() >= from.toEpochMilli() && r.timestamp() < until.toEpochMilli()) {
                    producer.send(r);
                }
            }
            producer.flush();
        }
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String key, V value, Instant at) {
        return new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** The classifier's decision that an incident's level changed, as on its timeline. */
    private static TimelineEntry change(String id, Level from, Level to, Instant at, List<String> categories) {
        return TimelineEntry.decided(null, new SeverityChange(id, "dormitory", from, to, List.of("comments>=100"), new WindowMetrics(500, 120, 0),
                Duration.ofHours(24), at, at, ROOT, List.of(ROOT), categories, List.of()), null);
    }

    /** The classifier's report of an incident's state, as on its timeline. */
    private static TimelineEntry state(String id, Level level, long views, Instant at) {
        return TimelineEntry.decided(new IncidentState(id, "dormitory", level, new WindowMetrics(views, 50, 0), T0, at, ROOT, 3, List.of()), null, null);
    }

    private static void awaitCaughtUp(OpinionWatchConfig c, KafkaStreams streams) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers()))) {
            new ConsumerLag(admin).awaitZero(c.escalation().applicationId(), EscalationTopology.readTopics(c), FirstTransaction.WITHIN,
                    () -> streams.state() != KafkaStreams.State.ERROR);
        }
    }

    private static List<String> duties(com.fasterxml.jackson.databind.JsonNode e) {
        List<String> duties = new ArrayList<>();
        e.path("duties").forEach(d -> duties.add(d.asText()));
        return duties;
    }

    /**
     * Every notification and checkpoint written (committed only), as "kind duties at id", sorted; a daily report with
     * its text too, the lines of every incident it shows.
     */
    private static List<String> ids(OpinionWatchConfig c) {
        Topics t = c.topicNames();
        return OutputReader.readAll(c.kafka(), c.topics().prefix(), List.of(t.notifications(), t.tracking())).stream()
                .map(OutputEvent::event).map(e -> e.path("kind").asText("checkpoint") + " " + String.join(",", duties(e)) + " "
                        + e.path("at").asText() + " " + e.path("id").asText()
                        + (e.path("kind").asText().equals("DAILY_REPORT") ? " " + e.path("report").asText() : ""))
                .sorted().toList();
    }
}
