package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.pipeline.ConsumerLag;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * Crashes that kill, on the real broker: the classifier in a JVM of its own killed with SIGKILL inside a transaction
 * and started again on its state directory; the broker in a JVM of its own killed with SIGKILL under a running
 * classifier and started again on its data directory. Either way the classifier's outputs (severity changes,
 * forecasts and incident states, read_committed) are line for line those of an uninterrupted run of the same release
 * on the same input: nothing lost, nothing repeated, nothing of the killed transaction seen.
 *
 * <p>The input is the bundled sample's first 1,200 snapshots (2012: incidents become MAJOR and CRITICAL),
 * as a replay publishes them: each to its incident's partition in event-time order, and the end's heartbeat only once
 * the classifier has taken every post (a heartbeat right behind a backlog can be taken before the last posts of a
 * partition: docs/stages.md). Story grouping is off: what is under test is the transactions, not the stories. A
 * killed run is given the second half of the posts once it has committed output, so that it is mid-stream however
 * fast the machine, and commits every 2 s, so that the kill lands early in an open transaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class KillTest {
    private static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(2);
    private static final int SNAPSHOTS = 1200;

    @TempDir
    static Path dir;
    private Path configFile;
    private List<Post> posts;
    private Instant end;
    /** The uninterrupted run's outputs. */
    private List<String> expected;
    /** The broker that a test kills, started while the uninterrupted run goes on. */
    private ChildJvm broker;
    private String[] brokerCommand;
    private int brokerPort;

    @BeforeAll
    void uninterrupted() throws Exception {
        brokerPort = LoopbackPorts.free();
        brokerCommand = new String[] {"broker", "--port", String.valueOf(brokerPort), "--data-dir", dir.resolve("broker-data").toString()};
        broker = ChildJvm.start(dir, Map.of(), brokerCommand);

        configFile = dir.resolve("grouping-off.yaml");
        Files.writeString(configFile, "classifier:\n  grouping: { enabled: false }\n");
        OpinionWatchConfig c = config("kill-straight-", EmbeddedKafka.shared().bootstrapServers(), Map.of())
                .withStateDir(Files.createTempDirectory(dir, "straight"));
        List<Post> sample = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, PostBounds.archive(c.ingest().limits())).posts();
        posts = sample.subList(0, SNAPSHOTS);
        // As a replay ends: one heartbeat late enough for every fall and subsiding that the posts lead to.
        end = posts.get(posts.size() - 1).observedAt().plus(c.escalation().trackingFor()).plus(c.escalation().trackingEvery());
        TopicSetup.create(c, true);
        publishFirstHalf(c);
        publish(c, posts.subList(posts.size() / 2, posts.size()));
        try (MetricsEndpoint metrics = MetricsEndpoint.start("classifier", 0); Admin admin = Admin.create(KafkaClients.settings(c.kafka()))) {
            KafkaStreams streams = Classifier.start(c, new Properties(), metrics);
            try {
                finish(admin, c, () -> alive(streams));
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
        expected = outputs(c);
        assertTrue(expected.stream().anyMatch(e -> e.startsWith("incidents.severity ") && e.contains("\"to\":\"CRITICAL\"")),
                "the sample makes incidents CRITICAL");
    }

    @AfterAll
    void stopBroker() {
        broker.kill();
    }

    @Test
    void aClassifierKilledInsideATransactionAndStartedAgainOnItsStateGivesTheEventsOfAnUninterruptedRun() throws Exception {
        OpinionWatchConfig c = config("kill-stage-", EmbeddedKafka.shared().bootstrapServers(), Map.of());
        String app = c.classifier().applicationId();
        Path state = Files.createTempDirectory(dir, "stage");
        String[] command = {"classifier", "--config", configFile.toString(), "--query-port", String.valueOf(LoopbackPorts.free()), "--query-host", "localhost"};
        Map<String, String> env = Map.of("OW_KAFKA_BOOTSTRAP_SERVERS", c.kafka().bootstrapServers(),
                "OW_STREAMS_COMMIT_INTERVAL", COMMIT_INTERVAL.toString());
        TopicSetup.create(c, true);
        publishFirstHalf(c);
        try (Admin admin = Admin.create(KafkaClients.settings(c.kafka()))) {
            ChildJvm first = ChildJvm.stage(dir, c, state, env, command);
            TransactionDescription open;
            try {
                awaitCommittedOutput(c, () -> first.process().isAlive());
                publish(c, posts.subList(posts.size() / 2, posts.size()));
                open = awaitYoungTransaction(admin, app, () -> first.process().isAlive());
                first.killAndWait();
            } finally {
                first.kill();
            }
            // Until the stage comes back, the transaction it was in stays open (for its timeout, 10 s).
            List<String> producer = transactionalIds(admin, app);
            TransactionDescription killed = transaction(admin, app).orElseThrow();
            assertEquals(TransactionState.ONGOING, killed.state(), "killed inside its transaction: " + killed);
            assertEquals(open.transactionStartTimeMs(), killed.transactionStartTimeMs(), "the same transaction: " + killed);
            long lag = ConsumerLag.total(new ConsumerLag(admin).of(app, ClassifierTopology.readTopics(c)));
            int committed = outputs(c).size();
            assertTrue(committed > 0 && lag > 0, "killed mid-stream: " + committed + " outputs committed, " + lag + " records to go");

            // The group drops a member that died when its session times out (45 s); an operator may do it at once.
            admin.removeMembersFromConsumerGroup(app, new RemoveMembersFromConsumerGroupOptions()).all().get();
            ChildJvm second = ChildJvm.stage(dir, c, state, env, command);
            try {
                finish(admin, c, () -> second.process().isAlive());
            } finally {
                second.kill();
            }
            assertEquals(producer, transactionalIds(admin, app), "the stage started again as the same producer (its id is kept "
                    + "in the state directory), which aborted the killed transaction as it started");
        }
        assertEquals(expected, outputs(c));
    }

    @Test
    void aBrokerKilledUnderARunningClassifierAndStartedAgainOnItsDataLeavesTheStageRunningAndItsEventsWhole() throws Exception {
        broker.awaitOutput("Kafka broker ready at 127.0.0.1:" + brokerPort);
        OpinionWatchConfig c = config("kill-broker-", "127.0.0.1:" + brokerPort, Map.of("OW_STREAMS_COMMIT_INTERVAL", COMMIT_INTERVAL.toString()))
                .withStateDir(Files.createTempDirectory(dir, "broker-stage"));
        String app = c.classifier().applicationId();
        TopicSetup.create(c, true);
        publishFirstHalf(c);
        try (MetricsEndpoint metrics = MetricsEndpoint.start("classifier", 0)) {
            KafkaStreams streams = Classifier.start(c, new Properties(), metrics);
            try {
                try (Admin admin = Admin.create(KafkaClients.settings(c.kafka()))) {
                    awaitCommittedOutput(c, () -> alive(streams));
                    publish(c, posts.subList(posts.size() / 2, posts.size()));
                    awaitYoungTransaction(admin, app, () -> alive(streams));
                    broker.killAndWait();
                }
                broker = ChildJvm.start(dir, Map.of(), brokerCommand);
                broker.awaitOutput("Kafka broker ready at 127.0.0.1:" + brokerPort);
                try (Admin admin = Admin.create(KafkaClients.settings(c.kafka()))) {
                    finish(admin, c, () -> alive(streams));
                }
                assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the classifier rode the broker's absence out");
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
        assertEquals(expected, outputs(c));
    }

    private static boolean alive(KafkaStreams streams) {
        return streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.PENDING_ERROR
                && streams.state() != KafkaStreams.State.NOT_RUNNING;
    }

    private OpinionWatchConfig config(String namespace, String bootstrap, Map<String, String> env) {
        return ConfigLoader.load(configFile, env).inNamespace(namespace + System.nanoTime() + ".").withBootstrapServers(bootstrap);
    }


    /** As ingest publishes an archive: each snapshot to its incident's partition, in order. */
    private static void publish(OpinionWatchConfig c, List<Post> part) {
        try (PostPublisher publisher = publisher(c)) {
            part.forEach(publisher::publish);
        }
    }

    /**
     * The first half, then ingest's heartbeat at the second half's first instant (every run has it at the same place
     * in the clock, before the classifier starts): the classifier decides the first half and commits output.
     */
    private void publishFirstHalf(OpinionWatchConfig c) {
        publish(c, posts.subList(0, posts.size() / 2));
        try (PostPublisher clock = publisher(c)) {
            clock.heartbeat(posts.get(posts.size() / 2).observedAt(), "replay");
        }
    }

    private static PostPublisher publisher(OpinionWatchConfig c) {
        return new PostPublisher(c.topicNames(), KafkaClients.properties(c.kafka()), PostBounds.archive(c.ingest().limits()), c.ingest().delivery());
    }

    /** Waits until the classifier has taken every post, then gives it the end's heartbeat and waits until it has taken that. */
    private void finish(Admin admin, OpinionWatchConfig c, BooleanSupplier alive) {
        awaitCaughtUp(admin, c, alive);
        try (PostPublisher clock = publisher(c)) {
            clock.heartbeat(end, "replay");
        }
        awaitCaughtUp(admin, c, alive);
    }

    private static void awaitCaughtUp(Admin admin, OpinionWatchConfig c, BooleanSupplier alive) {
        new ConsumerLag(admin).awaitZero(c.classifier().applicationId(), ClassifierTopology.readTopics(c), FirstTransaction.WITHIN, alive);
    }

    private static void awaitCommittedOutput(OpinionWatchConfig c, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (outputs(c).isEmpty()) {
            assertTrue(alive.getAsBoolean(), "the stage died");
            assertTrue(System.nanoTime() < deadline, "no output committed within " + FirstTransaction.WITHIN);
            Thread.sleep(100);
        }
    }

    /**
     * The stage's transaction once it is open with records sent and younger than half the commit interval: a kill
     * then lands inside it, a second or more before it would commit.
     */
    private static TransactionDescription awaitYoungTransaction(Admin admin, String app, BooleanSupplier alive) throws Exception {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (true) {
            Optional<TransactionDescription> t = transaction(admin, app);
            if (t.isPresent() && t.get().state() == TransactionState.ONGOING && !t.get().topicPartitions().isEmpty()
                    && System.currentTimeMillis() - t.get().transactionStartTimeMs().orElse(0) < COMMIT_INTERVAL.toMillis() / 2) {
                return t.get();
            }
            assertTrue(alive.getAsBoolean(), "the stage died");
            assertTrue(System.nanoTime() < deadline, "no transaction open within " + FirstTransaction.WITHIN + ": " + t);
            Thread.sleep(10);
        }
    }

    /** The transaction of the stage's producer, once it has one. */
    private static Optional<TransactionDescription> transaction(Admin admin, String app) throws Exception {
        List<String> ids = transactionalIds(admin, app);
        return ids.isEmpty() ? Optional.empty() : Optional.of(admin.describeTransactions(ids).all().get().get(ids.get(0)));
    }

    /** The transactional ids of the stage's producers, which start with its application id: one stream thread, one at most. */
    private static List<String> transactionalIds(Admin admin, String app) throws Exception {
        List<String> ids = admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(app + "-")).toList();
        assertTrue(ids.size() <= 1, "one producer: " + ids);
        return ids;
    }

    /** What the classifier wrote, committed only, one line per event in event-time order (ties in partition and offset order). */
    private static List<String> outputs(OpinionWatchConfig c) {
        Topics t = c.topicNames();
        return OutputReader.readAll(c.kafka(), t.prefix(), List.of(t.severity(), t.forecast(), t.incidents())).stream()
                .map(e -> e.topic() + " " + e.key() + " " + e.time() + " " + e.event()).toList();
    }
}
