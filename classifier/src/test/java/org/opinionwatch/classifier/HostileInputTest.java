package org.opinionwatch.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import org.opinionwatch.runtime.streams.StreamsSettings;

/**
 * The classifier on the real broker, fed records that no ingest would publish, written straight to its topics by a
 * plain producer: after each it keeps RUNNING, the record is a dead letter with its reason, and a valid post after
 * it is classified; the same after a restart, which resumes from the local state the stage kept.
 */
class HostileInputTest {
    /** Now: posts of another year would be deleted by posts.raw's retention (7 days) before they are read. */
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(300)
    void afterEachHostileRecordTheClassifierKeepsRunningAndClassifiesTheNextPost() throws Exception {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of()).inNamespace("hostile-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers()).withStateDir(stateDir.resolve("kept"));
        Topics topics = config.topicNames();
        TopicSetup.create(config, false);
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Restoring is counted at this level only.
        overrides.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG");
        List<ProducerRecord<String, byte[]>> hostile = List.of(
                post(topics, new Post("long-title", "forum", "https://bbs/1", "x".repeat(700_000), "", "", T0, T0,
                        Engagement.ZERO, false, null)),
                post(topics, new Post("huge-count", "forum", "https://bbs/2", "t", "", "", T0, T0,
                        new Engagement(0, Long.MAX_VALUE, 0, 0), false, null)),
                new ProducerRecord<>(topics.postsRaw().name(), "malformed", bytes("{\"schema\":\"post/1\",")),
                new ProducerRecord<>(topics.clock().name(), 0, null, bytes("no heartbeat")),
                new ProducerRecord<>(topics.handover().name(), 0, "incident", bytes("no increment")));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             Output output = new Output(config)) {
            try (Stage classifier = new Stage(config, overrides)) {
                for (int i = 0; i < hostile.size(); i++) {
                    producer.send(hostile.get(i)).get();
                    String valid = "valid-" + i;
                    producer.send(post(topics, validPost(valid, i))).get();
                    ClockTicks.at(config, validPost(valid, i).observedAt().plusMillis(1));
                    output.awaitChange(valid);
                    assertNull(StreamsSettings.failure(classifier.streams), "after hostile record " + i); // RUNNING, or a rebalance
                }
            }
            List<String> postsDlq = output.awaitLetters(topics.postsDlq().name(), 3).stream().map(DeadLetter::reason).toList();
            assertTrue(postsDlq.contains("title has 700000 characters, more than the 1000 allowed (input truncated to its first 64 KiB)"), postsDlq.toString());
            assertTrue(postsDlq.contains("engagement.comments is 9223372036854775807, more than the 1000000000000 allowed"), postsDlq.toString());
            assertTrue(postsDlq.stream().anyMatch(r -> r.startsWith("malformed JSON")), postsDlq.toString());
            List<DeadLetter> stageDlq = output.awaitLetters(topics.classifierDlq().name(), 2);
            // Where each was: the offsets are the heartbeats' and the promises' that came before them.
            assertEquals(Set.of(topics.clock().name() + "-0", topics.handover().name() + "-0"),
                    stageDlq.stream().map(l -> l.location().substring(0, l.location().indexOf('@'))).collect(Collectors.toSet()));
            assertTrue(stageDlq.stream().allMatch(l -> l.source().equals("classifier")
                    && l.reason().startsWith("deserialization: cannot read the record")), stageDlq.toString());

            // Restarted where it kept its state: the stores are as it left them, and the record that was refused stays refused.
            assertTrue(Files.isDirectory(stateDir.resolve("kept").resolve(config.classifier().applicationId())));
            double restoredWhereKept;
            try (Stage restarted = new Stage(config, overrides)) {
                producer.send(hostile.get(0)).get();
                producer.send(post(topics, validPost("valid-again", hostile.size()))).get();
                ClockTicks.at(config, validPost("valid-again", hostile.size()).observedAt().plusMillis(1));
                output.awaitChange("valid-again");
                assertNull(StreamsSettings.failure(restarted.streams));
                restoredWhereKept = restored(restarted.streams);
            }
            // On a new host every store comes back from its changelog; where the state was kept, only the one held in memory.
            try (Stage elsewhere = new Stage(config.withStateDir(stateDir.resolve("new")), overrides)) {
                await(() -> elsewhere.streams.state() == KafkaStreams.State.RUNNING, () -> "running");
                double restoredElsewhere = restored(elsewhere.streams);
                assertTrue(restoredWhereKept < restoredElsewhere, restoredWhereKept + " records restored where the state was kept, "
                        + restoredElsewhere + " on a new state directory");
            }
        }
    }

    /** The classifier with its metrics endpoint, as the command runs it; closed leaving the group, so that the next start need not wait for its session to end. */
    private static final class Stage implements AutoCloseable {
        final MetricsEndpoint metrics;
        final KafkaStreams streams;

        Stage(OpinionWatchConfig config, Properties overrides) throws java.io.IOException {
            metrics = MetricsEndpoint.start("classifier", 0);
            streams = Classifier.start(config, overrides, metrics);
        }

        @Override
        public void close() {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            metrics.close();
        }
    }

    /** Records restored into the client's stores since it started. */
    private static double restored(KafkaStreams streams) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
            if (m.getKey().name().equals("restore-total")) {
                total += ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    /** A post that opens an incident of its own at MAJOR: its text tells a story of its own, which joins no other. */
    private static Post validPost(String id, int i) {
        Instant at = T0.plusSeconds(60L * (i + 1));
        String story = java.util.UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
        return new Post(id, "forum", "https://bbs.example.edu/t/" + id, story, story, "student", at, at, new Engagement(0, 150, 0, 0), false, null);
    }

    private static ProducerRecord<String, byte[]> post(Topics topics, Post post) {
        return new ProducerRecord<>(topics.postsRaw().name(), null, post.observedAt().toEpochMilli(), post.id(),
                Topics.POST.serialize("", post));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What the classifier committed to incidents.severity and its dead-letter topics. */
    private static final class Output implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Topics topics;
        private final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();

        Output(OpinionWatchConfig config) {
            topics = config.topicNames();
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "hostile-reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topics.severity().name(), topics.postsDlq().name(), topics.classifierDlq().name()));
        }

        void awaitChange(String incident) {
            await(() -> {
                poll();
                return read.stream().anyMatch(r -> r.topic().equals(topics.severity().name()) && incident.equals(r.key())
                        && Topics.SEVERITY_CHANGE.deserialize(r.topic(), r.value()).to().name().equals("MAJOR"));
            }, () -> "a severity change of " + incident + " to MAJOR");
        }

        List<DeadLetter> awaitLetters(String topic, int count) {
            await(() -> {
                poll();
                return read.stream().filter(r -> r.topic().equals(topic)).count() >= count;
            }, () -> count + " dead letters on " + topic);
            return read.stream().filter(r -> r.topic().equals(topic)).map(r -> Topics.DEAD_LETTER.deserialize(topic, r.value())).toList();
        }

        private void poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 180 s: " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
