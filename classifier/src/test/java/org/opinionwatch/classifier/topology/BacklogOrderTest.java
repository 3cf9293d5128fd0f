package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * A restart after downtime on the real broker: days of posts wait in every posts.raw partition, published one
 * partition whole after the other, and the clock already says "now" (ingest kept sending heartbeats) and goes on
 * saying it while the classifier works through the backlog. The classifier decides exactly what it decides on the
 * same posts in event-time order (the topology in a test driver), and counts no increment as late: no incident's
 * clock ran past its own posts still waiting in the backlog.
 */
class BacklogOrderTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    /**
     * Incidents per posts.raw partition; each has a first wave, a quiet stretch, and a second wave. A partition's
     * backlog is then more than one fetch of the classifier's consumer, so that heartbeats come between its fetches.
     */
    private static final int INCIDENTS_PER_PARTITION = 6;
    /** Snapshots per wave, 30 s apart. */
    private static final int SNAPSHOTS = 300;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void aBacklogInEveryPartitionGivesTheEventsOfTheTimeOrderedPostsAndNoneLate() throws Exception {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of())
                .inNamespace("backlog-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers())
                .withStateDir(stateDir);
        Topics topics = config.topicNames();
        int partitions = config.kafka().partitions();
        List<Post> posts = posts(partitions);
        Instant end = posts.stream().map(Post::observedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant now = end.plus(Duration.ofDays(5));
        Instant last = now.plus(Duration.ofDays(1));
        List<String> expected = inEventTimeOrder(posts, last);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()));
             KafkaProducer<String, byte[]> producer = producer(config);
             MetricsEndpoint metrics = MetricsEndpoint.start("classifier", 0)) {
            TopicSetup.create(admin, config, true);
            // Each partition whole, one after the other: the worst skew a backlog can have.
            for (int p = 0; p < partitions; p++) {
                for (Post post : posts) {
                    if (IncidentPartitions.of(post.rootId(), partitions) == p) {
                        producer.send(new ProducerRecord<>(topics.postsRaw().name(), p, post.observedAt().toEpochMilli(), post.id(),
                                Topics.POST.serialize("", post)));
                    }
                }
            }
            heartbeat(producer, topics, partitions, now);
            producer.flush();
            // The backlog, without what comes after it: the classifier relays the clock's heartbeats to posts.raw.
            Map<TopicPartition, Long> backlog = ends(admin, config, List.of(topics.postsRaw().name()));
            KafkaStreams classifier = Classifier.start(config, new Properties(), metrics);
            try {
                // The clock goes on while the backlog is worked through, as a live ingest's heartbeats do.
                long k = 0;
                while (!committedPast(admin, config, backlog)) {
                    heartbeat(producer, topics, partitions, now.plusSeconds(++k));
                    producer.flush();
                    if (k > DEADLINE.toSeconds() * 10) {
                        fail("the classifier has not read the backlog within " + DEADLINE.toSeconds() + " s");
                    }
                    Thread.sleep(100); // the clock's pace: a heartbeat every tenth of a second, not a wait for a condition
                }
                heartbeat(producer, topics, partitions, last);
                producer.flush();
                await("the last heartbeat processed", () -> caughtUp(admin, config, ClassifierTopology.readTopics(config)));
            } finally {
                classifier.close(Duration.ofSeconds(30));
                classifier.cleanUp();
            }
            assertEquals(expected, sorted(read(config)), "the backlog's severity changes, in the order of their incidents and instants");
            Counter late = metrics.registry().find("classifier.increments.late").counter();
            assertEquals(0.0, late == null ? 0.0 : late.count(), "increments counted as older than their incident's window");
        }
    }

    /**
     * Every incident: 150 comments over its first two and a half hours (MAJOR), quiet for a day and a half (it falls
     * after the 24 h window and the 6 h cool-down, and would subside after the 48 h calm period), then 600 more
     * (CRITICAL); a snapshot every 30 s while it grows. Incidents start an hour apart, so that the partitions' posts
     * interleave in event time.
     */
    private static List<Post> posts(int partitions) {
        List<Post> posts = new ArrayList<>();
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (int i = 0; perPartition.values().stream().mapToInt(Integer::intValue).sum() < INCIDENTS_PER_PARTITION * partitions; i++) {
            String id = "thread-" + i;
            int p = IncidentPartitions.of(id, partitions);
            if (perPartition.getOrDefault(p, 0) == INCIDENTS_PER_PARTITION) {
                continue;
            }
            int n = perPartition.merge(p, 1, Integer::sum) + p * INCIDENTS_PER_PARTITION;
            Instant start = T0.plus(Duration.ofHours(n));
            for (int m = 0; m < SNAPSHOTS; m++) {
                posts.add(snapshot(id, start, start.plus(Duration.ofSeconds(30L * m)), 150L * (m + 1) / SNAPSHOTS));
            }
            Instant again = start.plus(Duration.ofHours(36));
            for (int m = 1; m <= SNAPSHOTS; m++) {
                posts.add(snapshot(id, start, again.plus(Duration.ofSeconds(30L * m)), 150 + 600L * m / SNAPSHOTS));
            }
        }
        posts.sort(Comparator.comparing(Post::observedAt).thenComparing(Post::id));
        return posts;
    }

    private static Post snapshot(String id, Instant published, Instant at, long comments) {
        return new Post(id, "forum", "http://bbs/" + id, "t", "x", "author", published, at,
                new Engagement(0, comments, 0, 0), false, null);
    }

    /** The severity changes of the posts in event-time order, then a heartbeat at {@code last}: the test driver's. */
    private static List<String> inEventTimeOrder(List<Post> posts, Instant last) {
        try (ClassifierDriver d = new ClassifierDriver(ConfigLoader.load(null, Map.of()))) {
            posts.forEach(d::observe);
            d.heartbeat(last);
            return sorted(d.severity.readValuesToList());
        }
    }

    private static List<String> sorted(List<SeverityChange> changes) {
        return changes.stream().sorted(Comparator.comparing(SeverityChange::incidentId).thenComparing(SeverityChange::at))
                .map(c -> c.incidentId() + " " + c.from() + "->" + c.to() + "@" + c.at()).toList();
    }

    private static void heartbeat(KafkaProducer<String, byte[]> producer, Topics topics, int partitions, Instant at) {
        for (int p = 0; p < partitions; p++) {
            producer.send(new ProducerRecord<>(topics.clock().name(), p, at.toEpochMilli(), null,
                    topics.clock().valueSerde().serializer().serialize("", new Heartbeat(at, "test"))));
        }
    }

    /** Whether the classifier has committed every record of {@code read}. */
    private static boolean caughtUp(Admin admin, OpinionWatchConfig config, List<String> read) {
        return committedPast(admin, config, ends(admin, config, read));
    }

    /** Where each partition of the topics ends now; empty while one of them is not created yet. */
    private static Map<TopicPartition, Long> ends(Admin admin, OpinionWatchConfig config, List<String> topics) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : topics) {
            for (int p = 0; p < config.kafka().partitions(); p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (ExecutionException e) {
            return Map.of(); // an internal topic not created yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the classifier has committed every partition up to its offset in {@code ends} (none when it is empty). */
    private static boolean committedPast(Admin admin, OpinionWatchConfig config, Map<TopicPartition, Long> ends) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.classifier().applicationId())
                    .partitionsToOffsetAndMetadata().get();
            return !ends.isEmpty() && ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() >= e.getValue());
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<SeverityChange> read(OpinionWatchConfig config) {
        Topics topics = config.topicNames();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < config.kafka().partitions(); p++) {
                assigned.add(new TopicPartition(topics.severity().name(), p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            List<SeverityChange> changes = new ArrayList<>();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    changes.add(topics.severity().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
            return changes;
        }
    }

    private static KafkaProducer<String, byte[]> producer(OpinionWatchConfig config) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
