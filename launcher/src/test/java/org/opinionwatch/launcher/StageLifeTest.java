package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/**
 * A stage's life as its supervisor sees it: it refuses to start without a cluster, keeps its state where it is told,
 * and ends with a non-zero status and one line that says why when its Kafka Streams client fails (in a JVM of its own,
 * as in production: the status is the process's).
 */
class StageLifeTest {
    @TempDir
    Path dir;
    @TempDir
    Path stateDir;

    @Test
    void aStageOrAToolOfTheRunningPipelineRefusesWithoutAClusterAndSaysHowToGiveOne() {
        Assumptions.assumeFalse(System.getenv().containsKey("OW_KAFKA_BOOTSTRAP_SERVERS"), "the environment names a cluster");
        for (List<String> command : List.of(List.of("ingest"), List.of("classifier"), List.of("escalation"), List.of("notify"),
                List.of("topics"), List.of("rules", "--show"), List.of("export", "--incident", "x", "--output", "x.jsonl"))) {
            String err = CommandRun.of(command.toArray(String[]::new)).errAfter(2);

            assertTrue(err.startsWith("no Kafka cluster given: pass --bootstrap HOST:PORT, or set kafka.bootstrapServers in the "
                    + "--config file or OW_KAFKA_BOOTSTRAP_SERVERS in the environment (only demo, replay, backtest and bench start "
                    + "an embedded broker of their own)"), command + ": " + err);
        }
    }

    @Test
    @Timeout(240)
    void aClassifierWhoseStreamsClientFailsExitsWithStatusOneAndSaysWhy() throws Exception {
        OpinionWatchConfig config = config("life-");
        // The cluster from the environment, as a deployment gives it.
        ChildJvm classifier = stage(config, Map.of("OW_KAFKA_BOOTSTRAP_SERVERS", config.kafka().bootstrapServers()),
                "classifier", "--query-port", String.valueOf(LoopbackPorts.free()), "--query-host", "localhost");
        try {
            classifier.awaitOutput("Classifier " + config.classifier().applicationId() + " running");
            assertTrue(Files.isDirectory(stateDir.resolve(config.classifier().applicationId())), "its state where it was told");
            // What no handler can take: an input topic gone. The client shuts down; the process must not stay up.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
                admin.deleteTopics(List.of(config.topicNames().postsRaw().name())).all().get(30, TimeUnit.SECONDS);
            }

            assertEquals(1, classifier.awaitExit(Duration.ofSeconds(150)), classifier.err());
            List<String> last = classifier.err().lines().filter(l -> l.startsWith("opinion-watch ")).toList();
            assertEquals(List.of("opinion-watch classifier: the classifier stopped working: its Kafka Streams client failed "
                    + "(its error is logged above); exiting so that it is restarted"), last, classifier.err());
        } finally {
            classifier.kill();
        }
    }

    @Test
    @Timeout(240)
    void aStageStoppedBySigtermClosesAndKeepsItsState() throws Exception {
        OpinionWatchConfig config = config("sigterm-");
        ChildJvm escalation = stage(config, Map.of(), "escalation", "--bootstrap", config.kafka().bootstrapServers());
        try {
            escalation.awaitOutput("Escalation " + config.escalation().applicationId() + " running");
            escalation.process().destroy();

            // The JVM's status after a SIGTERM it handled: 128 + 15.
            assertEquals(143, escalation.awaitExit(Duration.ofSeconds(60)), escalation.err());
            assertTrue(escalation.err().lines().noneMatch(l -> l.startsWith("opinion-watch ")), escalation.err());
            assertTrue(Files.isDirectory(stateDir.resolve(config.escalation().applicationId())), "its state kept for the next start");
        } finally {
            escalation.kill();
        }
    }

    private static OpinionWatchConfig config(String namespace) {
        return ConfigLoader.load(null, Map.of()).inNamespace(namespace + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
    }

    /** A stage command in a JVM of its own, in {@code config}'s namespace, its state in {@link #stateDir}. */
    private ChildJvm stage(OpinionWatchConfig config, Map<String, String> env, String... args) throws IOException {
        return ChildJvm.stage(dir, config, stateDir, env, args);
    }
}
