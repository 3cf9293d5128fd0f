package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.actions.ChangelogCases;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * {@code opinion-watch act} and {@code silence} as a person runs them, against a real broker where an escalation stage
 * runs and has a case of one MAJOR incident: what they record is checked against that case first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActCommandTest {
    private static final String INCIDENT = "bbs.example.edu/t/42";
    private static final Instant AT = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

    private String bootstrap;
    private String prefix;
    private Path config;
    private OpinionWatchConfig settings;
    private MetricsEndpoint metrics;
    private KafkaStreams stage;

    @BeforeAll
    void startTheStage(@TempDir Path dir) throws Exception {
        bootstrap = EmbeddedKafka.shared().bootstrapServers();
        prefix = "act-" + System.nanoTime() + ".";
        config = dir.resolve("act.yaml");
        Files.writeString(config, "topics: { prefix: " + prefix + " }\n");
        settings = ConfigLoader.load(config, Map.of()).withBootstrapServers(bootstrap);
        TopicSetup.create(settings, false);
        metrics = MetricsEndpoint.start("escalation", 0);
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectory(dir.resolve("escalation")).toString());
        stage = Escalation.start(settings, overrides, metrics);
        PostRef root = new PostRef(INCIDENT, "https://bbs.example.edu/t/42", "宿舍停水三天");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(settings.topicNames().timeline().name(), null, AT.toEpochMilli(), INCIDENT,
                    Topics.TIMELINE.serialize("", TimelineEntry.decided(null, new SeverityChange(INCIDENT, "dormitory", Level.NONE, Level.MAJOR,
                            List.of("comments>=100"), new WindowMetrics(1200, 150, 0), Duration.ofHours(24), AT, AT, root, List.of(root), List.of(),
                            List.of()), null))));
        }
        ChangelogCases cases = new ChangelogCases(settings, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (!exists(cases)) {
            assertTrue(System.nanoTime() < deadline, "the stage did not commit the incident's case");
            Thread.sleep(100);
        }
    }

    private static boolean exists(ChangelogCases cases) {
        try {
            return cases.find(INCIDENT).isPresent();
        } catch (RuntimeException e) {
            return false; // the changelog is not there yet
        }
    }

    @AfterAll
    void stopTheStage() {
        stage.close(Duration.ofSeconds(30));
        stage.cleanUp();
        metrics.close();
    }

    private CommandRun act(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("act"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--config", config.toString()));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private List<Action> published() {
        return OutputReader.readAll(PlainCluster.at(bootstrap), prefix, List.of(Topics.withPrefix(prefix).actions())).stream()
                .map(OutputEvent::event).map(e -> Topics.ACTION.parse(e.toString())).toList();
    }

    @Test
    void aDutyOfTheCaseIsRecordedAndClosesThatDutyOnly() {
        Instant at = AT.plus(Duration.ofMinutes(10));
        Action expected = Action.done(INCIDENT, "convene-emergency-meeting", "王主任", "已召开", at);

        CommandRun run = act(INCIDENT, "convene-emergency-meeting", "--by", "王主任", "--note", "已召开", "--at", at.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("Recorded action " + expected.id() + ": " + INCIDENT + " convene-emergency-meeting by 王主任 at " + at
                + "; closes convene-emergency-meeting" + System.lineSeparator(), run.out());
        assertTrue(published().contains(expected));
    }

    @Test
    void anUnknownIncidentOrADutyNotOpenIsAnErrorAndNothingIsRecorded() {
        int before = published().size();
        CommandRun unknown = act("bbs.example.edu/t/0", "respond", "--by", "a");
        assertEquals(1, unknown.exit());
        assertEquals("opinion-watch act: no incident bbs.example.edu/t/0: the escalation stage has no case of it (check the id: the id of "
                + "its first original post); nothing recorded" + System.lineSeparator(), unknown.err());

        CommandRun notOpen = act(INCIDENT, "triage-and-forward", "--by", "a");
        assertEquals(1, notOpen.exit());
        assertTrue(notOpen.err().startsWith("opinion-watch act: incident " + INCIDENT + " has no open duty triage-and-forward; its open "
                + "duties: report-to-leadership, "), notOpen.err());
        assertEquals(before, published().size());
    }

    @Test
    void judgementNeedsAReasonAndIsRecorded() {
        CommandRun noReason = act(INCIDENT, "set-level", "CRITICAL", "--by", "王主任");
        assertEquals(2, noReason.exit());
        assertTrue(noReason.err().contains("--reason is required with set-level"), noReason.err());

        CommandRun set = act(INCIDENT, "set-level", "critical", "--by", "王主任", "--reason", "涉及学生安全");
        assertEquals(0, set.exit(), set.err());
        assertTrue(set.out().endsWith("; sets the level to CRITICAL until it is cleared" + System.lineSeparator()), set.out());
        assertTrue(published().stream().anyMatch(a -> a.kind() == Action.Kind.SET_LEVEL && a.level() == Level.CRITICAL
                && a.note().equals("涉及学生安全")));
    }

    @Test
    void aSilenceIsSetListedAndRemoved() throws Exception {
        Instant until = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        CommandRun set = CommandRun.of("silence", "--subject", "dormitory", "--until", until.toString(), "--by", "李老师", "--reason", "停水检修，已知",
                "--bootstrap", bootstrap, "--config", config.toString());
        assertEquals(0, set.exit(), set.err());
        String id = set.out().substring("Recorded silence ".length(), set.out().indexOf(':'));

        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        CommandRun list;
        do {
            assertTrue(System.nanoTime() < deadline, "the stage did not list the silence");
            Thread.sleep(100);
            list = CommandRun.of("silence", "--list", "--bootstrap", bootstrap, "--config", config.toString());
        } while (!list.out().contains(id));
        assertEquals(id + "  subject dormitory until " + until + System.lineSeparator(), list.out());

        assertEquals(0, CommandRun.of("silence", "--remove", id, "--by", "李老师", "--bootstrap", bootstrap, "--config", config.toString()).exit());
        CommandRun unknown = CommandRun.of("silence", "--remove", "no-such", "--by", "x", "--bootstrap", bootstrap, "--config", config.toString());
        assertEquals(1, unknown.exit());
        assertEquals("opinion-watch silence: no silence no-such: nothing recorded" + System.lineSeparator(), unknown.err());
    }

    @Test
    void anUnknownDutyIsAUsageErrorListingTheChoices() {
        CommandRun run = CommandRun.of("act", "x", "done", "--by", "a", "--bootstrap", "127.0.0.1:9");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown duty or action \"done\": a duty (triage-and-forward, respond, "), run.err());
    }

    @Test
    void anEmptyNameOrAFutureTimeIsAUsageError() {
        CommandRun empty = CommandRun.of("act", "x", "resolve", "--by", " ", "--bootstrap", "127.0.0.1:9");
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("--by must name who acted"), empty.err());

        Instant future = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        CommandRun ahead = CommandRun.of("act", "x", "resolve", "--by", "a", "--at", future.toString(), "--bootstrap", "127.0.0.1:9");
        assertEquals(2, ahead.exit());
        assertTrue(ahead.err().contains("--at " + future + " is in the future"), ahead.err());
    }

    /** A cluster that does not answer: said so within the timeout, not a hang. */
    @Test
    void anUnreachableClusterIsAnErrorWithinTheTimeout() throws Exception {
        int closedPort = LoopbackPorts.free(); // nothing listens there
        long start = System.nanoTime();

        CommandRun run = CommandRun.of("act", "x", "resolve", "--by", "a", "--bootstrap", "127.0.0.1:" + closedPort, "--timeout", "2");

        assertEquals(1, run.exit());
        assertEquals("opinion-watch act: no answer from the Kafka cluster at 127.0.0.1:" + closedPort + " within 2 s: "
                + "is it running, and reachable from here? A cluster that requires authentication gives no answer to a client "
                + "without the kafka.security settings (docs/kafka-security.md). Nothing was recorded." + System.lineSeparator(), run.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0, "gave up in time");
    }
}
