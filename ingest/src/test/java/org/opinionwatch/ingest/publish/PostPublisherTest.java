package org.opinionwatch.ingest.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topics;

/** The publisher against Kafka's MockProducer; the tests against a real broker live with the embedded broker. */
class PostPublisherTest {
    private static final Topics TOPICS = Topics.withPrefix("replay-1.");
    private static final Instant OBSERVED = Instant.parse("2012-09-11T09:08:18Z");
    private static final Post POST = new Post("weibo-ced:1_a_2", "weibo-ced", null, "t", "t", "2", OBSERVED, OBSERVED,
            new Engagement(0, 3, 0, 0), false, null);

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = Stream.of(TOPICS.clock().name(), TOPICS.postsRaw().name())
                .flatMap(topic -> Stream.of(0, 1, 2)
                        .map(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node})))
                .toList();
        Cluster cluster = new Cluster("test", List.of(node), partitions, java.util.Set.of(), java.util.Set.of());
        return new MockProducer<>(cluster, autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void aPostIsKeyedByItsIdAndStampedWithItsEventTime() {
        MockProducer<byte[], byte[]> producer = producer(true);
        try (PostPublisher publisher = new PostPublisher(TOPICS, producer)) {
            publisher.publish(POST);
            publisher.flush();
            assertEquals(1, publisher.published());
        }
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("replay-1.posts.raw", record.topic());
        assertArrayEquals(POST.id().getBytes(UTF_8), record.key());
        assertEquals(OBSERVED.toEpochMilli(), record.timestamp());
        assertEquals(POST, Topics.POST.deserialize(record.topic(), record.value()));
    }

    @Test
    void everyPostOfAnIncidentGoesToTheIncidentsPartition() {
        MockProducer<byte[], byte[]> producer = producer(true);
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            posts.add(new Post("weibo-ced:" + i, "weibo-ced", null, "t", "t", "2", OBSERVED, OBSERVED, Engagement.ZERO, false, null));
            posts.add(new Post("weibo-ced:" + i + "_r", "weibo-ced", null, "t", "t", "2", OBSERVED, OBSERVED, Engagement.ZERO, false,
                    "weibo-ced:" + i));
        }
        try (PostPublisher publisher = new PostPublisher(TOPICS, producer)) {
            posts.forEach(publisher::publish);
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        for (int i = 0; i < posts.size(); i++) {
            assertEquals(IncidentPartitions.of(posts.get(i).rootId(), 3), sent.get(i).partition(), posts.get(i).id());
            assertArrayEquals(posts.get(i).id().getBytes(UTF_8), sent.get(i).key(), "still keyed by the post id");
        }
        // A repost goes where its original went, and the incidents spread over the partitions.
        for (int i = 0; i < posts.size(); i += 2) {
            assertEquals(sent.get(i).partition(), sent.get(i + 1).partition());
        }
        assertEquals(3, sent.stream().map(ProducerRecord::partition).distinct().count());
    }

    @Test
    void aDeadLetterIsKeyedByItsSourceAndStampedNow() {
        MockProducer<byte[], byte[]> producer = producer(true);
        DeadLetter deadLetter = new DeadLetter("weibo-ced", "rumor-repost/x.json#3", "missing \"date\"", "{}", OBSERVED);
        long before = System.currentTimeMillis();
        try (PostPublisher publisher = new PostPublisher(TOPICS, producer)) {
            publisher.reject(deadLetter);
            publisher.flush();
            assertEquals(1, publisher.rejected());
            assertEquals(0, publisher.published());
        }
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("replay-1.posts.dlq", record.topic());
        assertArrayEquals("weibo-ced".getBytes(UTF_8), record.key());
        assertTrue(record.timestamp() >= before, "wall-clock time of the rejection");
        assertEquals(deadLetter, Topics.DEAD_LETTER.deserialize(record.topic(), record.value()));
    }

    @Test
    void aHeartbeatGoesToEveryPartitionOfTheClock() {
        MockProducer<byte[], byte[]> producer = producer(true);
        Instant time = Instant.parse("2013-05-08T12:44:17Z");
        try (PostPublisher publisher = new PostPublisher(TOPICS, producer)) {
            publisher.heartbeat(time, "weibo-ced");
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(List.of(0, 1, 2), sent.stream().map(ProducerRecord::partition).toList());
        for (ProducerRecord<byte[], byte[]> record : sent) {
            assertEquals("replay-1.clock", record.topic());
            assertNull(record.key());
            assertEquals(time.toEpochMilli(), record.timestamp());
            assertEquals(time, Topics.HEARTBEAT.deserialize(record.topic(), record.value()).time());
        }
    }

    @Test
    void aFailedSendIsThrownFromFlushAndCloseWithTheTopicNamed() {
        MockProducer<byte[], byte[]> producer = producer(false);
        PostPublisher publisher = new PostPublisher(TOPICS, producer);
        publisher.publish(POST);
        producer.errorNext(new IllegalStateException("broker on fire"));

        KafkaException flushed = assertThrows(KafkaException.class, publisher::flush);
        assertEquals("sending to topic replay-1.posts.raw failed: broker on fire", flushed.getMessage());
        assertThrows(KafkaException.class, () -> publisher.publish(POST), "no more sends after a failure");
        KafkaException closed = assertThrows(KafkaException.class, publisher::close);
        assertEquals(flushed.getMessage(), closed.getMessage());
        assertEquals(0, publisher.published());
    }

    @Test
    void safetySettingsAreForcedAndThroughputSettingsAreDefaults() {
        Properties base = new Properties();
        base.put("bootstrap.servers", "localhost:9092");
        base.put("enable.idempotence", "false");
        base.put("acks", "1");
        base.put("linger.ms", "50");

        Properties config = PostPublisher.producerConfig(base);

        assertEquals("localhost:9092", config.get("bootstrap.servers"));
        assertEquals("true", config.get("enable.idempotence"));
        assertEquals("all", config.get("acks"));
        assertEquals("50", config.get("linger.ms"));
        assertEquals("lz4", config.get("compression.type"));
    }
}
