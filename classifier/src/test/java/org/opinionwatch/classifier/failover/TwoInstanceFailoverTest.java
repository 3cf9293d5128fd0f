package org.opinionwatch.classifier.failover;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two classifier instances with one application id on the real broker share the incidents; one stops mid-stream
 * (closed without leaving the group, so the group notices it only by its missed heartbeats, as after a crash) and the
 * other takes its tasks over. Every incident's crossings (NONE→MINOR, →MAJOR, →CRITICAL) appear on
 * incidents.severity exactly once, at the snapshot that crossed: none lost, none repeated.
 */
class TwoInstanceFailoverTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    /** Cumulative comments of every incident's root post, snapshot k observed at T0 + k minutes. */
    private static final long[] COMMENTS = {0, 40, 80, 120, 200, 300, 400, 480, 520, 600};
    private static final int MAJOR_ROUND = 3;    // 120 ≥ 100
    private static final int CRITICAL_ROUND = 8; // 520 ≥ 500
    /** Rounds published while both instances run; the instance stops after STOP_AFTER_ROUND. */
    private static final int FIRST_ROUNDS = 5;
    private static final int STOP_AFTER_ROUND = 6;
    private static final int INCIDENTS_PER_PARTITION = 4;
    private static final Duration DEADLINE = FirstTransaction.WITHIN;

    @TempDir
    Path stateDir;

    @Test
    @Timeout(300) // room for a first transaction stalled by KAFKA-15591 (FirstTransaction.WITHIN)
    void theOtherInstanceTakesOverWithNoCrossingLostOrRepeated() throws Exception {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of())
                .inNamespace("failover-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        Topics topics = config.topicNames();
        int partitions = config.kafka().partitions();
        List<String> ids = incidentIds(topics.postsRaw().name(), partitions);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
            TopicSetup.create(admin, config, true); // its posts are of 2024: kept whatever their age
            MetricsEndpoint firstMetrics = MetricsEndpoint.start("classifier", 0);
            MetricsEndpoint secondMetrics = MetricsEndpoint.start("classifier", 0);
            KafkaStreams first = Classifier.start(config.withStateDir(stateDir.resolve("first")), overrides(), firstMetrics);
            KafkaStreams second = Classifier.start(config.withStateDir(stateDir.resolve("second")), overrides(), secondMetrics);
            try (firstMetrics; secondMetrics;
                 KafkaProducer<String, byte[]> producer = producer(config);
                 KafkaConsumer<String, byte[]> output = outputConsumer(config)) {
                // One task per partition of each sub-topology (posts → increments → levels, stories by subject); the
                // incident tasks are those of the sub-topology with the incident window.
                var described = ClassifierTopology.build(config, new SimpleMeterRegistry()).describe().subtopologies();
                int allTasks = described.size() * partitions;
                String incidentTasks = described.stream()
                        .filter(st -> st.nodes().stream().anyMatch(n -> n.name().equals("incident-window")))
                        .findFirst().orElseThrow().id() + "_";
                await("both instances RUNNING and sharing the " + allTasks + " tasks", () ->
                        first.state() == KafkaStreams.State.RUNNING && second.state() == KafkaStreams.State.RUNNING
                                && !activeTasks(first).isEmpty() && !activeTasks(second).isEmpty()
                                && activeTasks(first).size() + activeTasks(second).size() == allTasks);
                // Stop the instance that holds incident tasks (windows and levels), so that the takeover moves level
                // state, not only the stories.
                boolean firstHoldsIncidents = activeTasks(first).stream().anyMatch(t -> t.startsWith(incidentTasks));
                KafkaStreams stopping = firstHoldsIncidents ? first : second;
                KafkaStreams remaining = firstHoldsIncidents ? second : first;

                Results results = new Results(topics, output);
                for (int round = 0; round < FIRST_ROUNDS; round++) {
                    publishRound(producer, topics, ids, round);
                }
                // Both instances have produced: every incident is open, on either instance's partitions.
                await("all incidents opened", () -> results.poll().changes.values().stream()
                        .filter(c -> !c.isEmpty()).count() == ids.size());

                for (int round = FIRST_ROUNDS; round <= STOP_AFTER_ROUND; round++) {
                    publishRound(producer, topics, ids, round);
                }
                Set<String> stoppedTasks = activeTasks(stopping);
                assertTrue(stoppedTasks.stream().anyMatch(t -> t.startsWith(incidentTasks)),
                        "the stopping instance owned incident tasks when it stopped: " + stoppedTasks);
                // Mid-stream: the rounds just published are still being processed. Remaining in the group, as a
                // crashed instance would, so the survivor takes over only when the session times out.
                assertTrue(stopping.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                        .withTimeout(Duration.ofSeconds(30))), "closed in time");
                for (int round = STOP_AFTER_ROUND + 1; round < COMMENTS.length; round++) {
                    publishRound(producer, topics, ids, round);
                }

                await("the remaining instance owns every task", () ->
                        remaining.state() == KafkaStreams.State.RUNNING && activeTasks(remaining).size() == allTasks);
                assertTrue(activeTasks(remaining).containsAll(stoppedTasks), "took over " + stoppedTasks);
                // The last snapshot of each incident is its last input: once its state is committed, nothing more
                // can follow. Then read severity up to its last committed offset.
                long last = COMMENTS[COMMENTS.length - 1];
                await("every incident's last snapshot processed", () -> {
                    Map<String, Long> comments = results.poll().lastComments;
                    return ids.stream().allMatch(id -> comments.getOrDefault(id, -1L) == last);
                });
                results.drainSeverity();

                for (String id : ids) {
                    List<String> actual = results.changes.getOrDefault(id, List.of()).stream()
                            .map(c -> c.from() + "→" + c.to() + "@" + c.at()).toList();
                    List<String> expected = List.of(
                            Level.NONE + "→" + Level.MINOR + "@" + at(0),
                            Level.MINOR + "→" + Level.MAJOR + "@" + at(MAJOR_ROUND),
                            Level.MAJOR + "→" + Level.CRITICAL + "@" + at(CRITICAL_ROUND));
                    assertEquals(expected, actual, "crossings of " + id);
                }
                assertEquals(3 * ids.size(), results.changes.values().stream().mapToInt(List::size).sum());
            } finally {
                for (KafkaStreams streams : List.of(first, second)) {
                    streams.close(Duration.ofSeconds(30));
                }
                deleteTopics(admin, config);
            }
        }
    }

    /** Committed output read so far: severity changes per incident in order, and each incident's latest comments. */
    private static final class Results {
        final Map<String, List<SeverityChange>> changes = new LinkedHashMap<>();
        final Map<String, Long> lastComments = new HashMap<>();
        private final Topics topics;
        private final KafkaConsumer<String, byte[]> consumer;

        Results(Topics topics, KafkaConsumer<String, byte[]> consumer) {
            this.topics = topics;
            this.consumer = consumer;
        }

        Results poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(topics.severity().name())) {
                    SeverityChange change = topics.severity().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    assertEquals(r.key(), change.incidentId());
                    changes.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(change);
                } else if (r.value() != null) {
                    IncidentState state = topics.incidents().valueSerde().deserializer().deserialize(r.topic(), r.value());
                    lastComments.put(r.key(), state.metrics().comments());
                }
            }
            return this;
        }

        /** Polls until every severity partition is read up to its last stable offset. */
        void drainSeverity() {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment().stream()
                    .filter(tp -> tp.topic().equals(topics.severity().name())).toList());
            await("severity read to its end " + ends, () -> {
                poll();
                return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
    }

    private static void publishRound(KafkaProducer<String, byte[]> producer, Topics topics, List<String> ids, int round) throws Exception {
        Instant observedAt = at(round);
        for (String id : ids) {
            // Each thread its own story (a text of its own), so that none joins another's incident.
            Post post = new Post(id, "forum", "http://bbs.example/" + id, "campus open day",
                    java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(), "author",
                    T0, observedAt, new Engagement(0, COMMENTS[round], 0, 0), false, null);
            producer.send(new ProducerRecord<>(topics.postsRaw().name(), null, observedAt.toEpochMilli(), id,
                    Topics.POST.serialize(topics.postsRaw().name(), post)));
        }
        // Ingest's heartbeat after the round, on every partition: every task gets past it.
        Instant after = observedAt.plusMillis(1);
        byte[] heartbeat = topics.clock().valueSerde().serializer().serialize("", new org.opinionwatch.contract.event.Heartbeat(after, "test"));
        for (var partition : producer.partitionsFor(topics.clock().name())) {
            producer.send(new ProducerRecord<>(topics.clock().name(), partition.partition(), after.toEpochMilli(), null, heartbeat));
        }
        producer.flush();
    }

    private static Instant at(int round) {
        return T0.plus(Duration.ofMinutes(round));
    }

    /** Post ids spread evenly over the partitions, by the producer's default partitioner. */
    private static List<String> incidentIds(String topic, int partitions) {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        StringSerializer keys = new StringSerializer();
        for (int i = 0; byPartition.values().stream().mapToInt(List::size).sum() < partitions * INCIDENTS_PER_PARTITION; i++) {
            String id = "thread-" + i;
            int p = Utils.toPositive(Utils.murmur2(keys.serialize(topic, id))) % partitions;
            List<String> list = byPartition.computeIfAbsent(p, k -> new ArrayList<>());
            if (list.size() < INCIDENTS_PER_PARTITION) {
                list.add(id);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).sorted().toList();
    }

    private static Properties overrides() {
        Properties p = new Properties();
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        return p;
    }

    private static Set<String> activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .map(TaskMetadata::taskId).map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static KafkaProducer<String, byte[]> producer(OpinionWatchConfig config) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads incidents.severity and incidents from the beginning, committed transactions only. */
    private static KafkaConsumer<String, byte[]> outputConsumer(OpinionWatchConfig config) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        Topics topics = config.topicNames();
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : List.of(topics.severity().name(), topics.incidents().name())) {
            for (int p = 0; p < config.kafka().partitions(); p++) {
                assigned.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return consumer;
    }

    private static void deleteTopics(Admin admin, OpinionWatchConfig config) {
        try {
            admin.deleteTopics(config.topicNames().all().stream().map(Topic::name).toList()).all().get();
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Best effort: the namespace is this run's own and never read again.
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + what);
            }
        }
    }
}
