package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.ClockTicks;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * On the embedded broker: posts on their incident's partition (as ingest sends them) are counted where they are
 * read; reposts that a producer keyed and partitioned by their own id, so on another partition, are moved to their
 * incident's first. Both count, exactly once, in the one incident.
 */
class PostRoutingTest {
    private static final Instant T0 = Instant.parse("2025-04-01T08:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    @Timeout(300) // room for a first transaction stalled by KAFKA-15591 (FirstTransaction.WITHIN)
    void postsOnAnotherPartitionAreMovedToTheirIncidentsAndCountedOnce() throws Exception {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of())
                .inNamespace("routing-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers())
                .withStateDir(stateDir);
        TopicSetup.create(config, true); // its posts are historical: kept whatever their age
        int partitions = config.kafka().partitions();
        String topic = config.topicNames().postsRaw().name();
        String root = "forum:root";
        int home = IncidentPartitions.of(root, partitions);
        List<ProducerRecord<String, Post>> records = new ArrayList<>();
        records.add(record(topic, home, post(root, null, 0, 10)));
        int moved = 0;
        for (int i = 0; i < 6; i++) {
            // Every repost twice: the second snapshot adds only its growth, wherever it is read.
            Post repost = post("forum:repost-" + i, root, i + 1, 5);
            int partition = i % 2 == 0 ? home : (home + 1 + i % (partitions - 1)) % partitions;
            moved += partition == home ? 0 : 2;
            records.add(record(topic, partition, repost));
            records.add(record(topic, partition, post(repost.id(), root, i + 2, 20)));
        }
        assertNotEquals(0, moved);

        try (MetricsEndpoint metrics = MetricsEndpoint.start("classifier", 0)) {
            KafkaStreams classifier = Classifier.start(config, new Properties(), metrics);
            try {
                try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafka().bootstrapServers()), new StringSerializer(), Topics.POST.serializer())) {
                    for (var r : records) {
                        producer.send(r).get();
                    }
                }
                ClockTicks.at(config, T0.plusSeconds(60L * 10)); // ingest's heartbeat after them: every task has got past them
                // Root 10 comments, six reposts at 20 each: 130, however the reposts travelled.
                IncidentState state = awaitIncident(config, root, s -> s.metrics().comments() == 130);
                assertEquals(7, state.posts());
                assertEquals(moved, records(config, config.classifier().applicationId() + "-posts-by-incident-repartition"),
                        "only the posts read on another partition than their incident's are moved");
            } finally {
                classifier.close(Duration.ofSeconds(10));
            }
        }
    }

    private static ProducerRecord<String, Post> record(String topic, int partition, Post post) {
        return new ProducerRecord<>(topic, partition, post.observedAt().toEpochMilli(), post.id(), post);
    }

    private static Post post(String id, String repostOf, int minute, long comments) {
        return new Post(id, "test-forum", "https://forum.example/" + id, "图书馆开放时间 " + id, UUID.nameUUIDFromBytes(id.getBytes()).toString(),
                "someone", T0, T0.plusSeconds(60L * minute), new Engagement(0, comments, 0, 0), false, repostOf);
    }

    private static IncidentState awaitIncident(OpinionWatchConfig config, String id, Predicate<IncidentState> done) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String topic = config.topicNames().incidents().name();
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), config.topicNames().incidents().valueSerde().deserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            IncidentState latest = null;
            long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
            while (latest == null || !done.test(latest)) {
                assertTrue(System.nanoTime() < deadline, "incident " + id + " not counted in time; latest " + latest);
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(id)) {
                        latest = r.value();
                    }
                }
            }
            return latest;
        }
    }

    /** Records (not transaction markers) on {@code topic}, read committed to its end. */
    private static long records(OpinionWatchConfig config, String topic) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            long count = 0;
            while (all.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }
}
