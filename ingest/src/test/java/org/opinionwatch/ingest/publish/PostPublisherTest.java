package org.opinionwatch.ingest.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topics;

/** The publisher against Kafka's MockProducer; against a real broker: LiveIngestBrokerTest, BrokerOutageTest. */
class PostPublisherTest {
    private static final Topics TOPICS = Topics.withPrefix("replay-1.");
    private static final Instant OBSERVED = Instant.parse("2012-09-11T09:08:18Z");
    private static final Post POST = post("weibo-ced:1_a_2", OBSERVED, 3);
    private static final PostBounds BOUNDS = PostBounds.archive(
            new OpinionWatchConfig.InputLimits(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofMinutes(5)));
    private static final OpinionWatchConfig.Delivery DELIVERY = new OpinionWatchConfig.Delivery(1024 * 1024, Duration.ofSeconds(5));

    private static Post post(String id, Instant observed, long comments) {
        return new Post(id, "weibo-ced", null, "t", "t", "2", observed, observed, new Engagement(0, comments, 0, 0), false, null);
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = Stream.of(TOPICS.postsRaw().name())
                .flatMap(topic -> Stream.of(0, 1, 2)
                        .map(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node})))
                .toList();
        Cluster cluster = new Cluster("test", List.of(node), partitions, java.util.Set.of(), java.util.Set.of());
        return new MockProducer<>(cluster, autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A publisher that takes its producers from {@code producers}, the next one after each failure. */
    private static PostPublisher publisher(OpinionWatchConfig.Delivery delivery, List<MockProducer<byte[], byte[]>> producers) {
        Iterator<MockProducer<byte[], byte[]>> next = producers.iterator();
        return new PostPublisher(TOPICS, BOUNDS, delivery, 16 * 1024 * 1024, () -> (Producer<byte[], byte[]>) next.next());
    }

    private static PostPublisher publisher(MockProducer<byte[], byte[]> producer) {
        return publisher(DELIVERY, List.of(producer));
    }

    /** The publisher sends on a thread of its own: waits until it has done what the test looks for. */
    private static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aPostIsKeyedByItsIdAndStampedWithItsEventTime() {
        MockProducer<byte[], byte[]> producer = producer(true);
        try (PostPublisher publisher = publisher(producer)) {
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
            posts.add(post("weibo-ced:" + i, OBSERVED, 0));
            posts.add(new Post("weibo-ced:" + i + "_r", "weibo-ced", null, "t", "t", "2", OBSERVED, OBSERVED, Engagement.ZERO, false,
                    "weibo-ced:" + i));
        }
        try (PostPublisher publisher = publisher(producer)) {
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
        try (PostPublisher publisher = publisher(producer)) {
            publisher.reject(deadLetter);
            publisher.flush();
            assertEquals(1, publisher.rejected());
            assertEquals(0, publisher.published());
        }
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("replay-1.posts.dlq", record.topic());
        assertArrayEquals("weibo-ced".getBytes(UTF_8), record.key());
        assertNull(record.partition(), "the producer's partitioner chooses by the key");
        assertTrue(record.timestamp() >= before, "wall-clock time of the rejection");
        assertEquals(deadLetter, Topics.DEAD_LETTER.deserialize(record.topic(), record.value()));
    }

    @Test
    void aHeartbeatGoesToEveryPartitionOfPostsRawBehindThePostsBeforeIt() {
        MockProducer<byte[], byte[]> producer = producer(true);
        Instant time = Instant.parse("2013-05-08T12:44:17Z");
        try (PostPublisher publisher = publisher(producer)) {
            publisher.publish(post("p-1", time.minusSeconds(1), 5));
            publisher.heartbeat(time, "weibo-ced");
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals("p-1", new String(sent.get(0).key(), java.nio.charset.StandardCharsets.UTF_8), "the post first");
        sent = sent.subList(1, sent.size());
        assertEquals(List.of(0, 1, 2), sent.stream().map(ProducerRecord::partition).toList());
        for (ProducerRecord<byte[], byte[]> record : sent) {
            assertEquals("replay-1.posts.raw", record.topic(), "in the partitions of the posts it comes after");
            assertNull(record.key());
            assertEquals(time.toEpochMilli(), record.timestamp());
            assertEquals(time, Topics.HEARTBEAT.deserialize(record.topic(), record.value()).time());
        }
    }

    /** A record on its way to the producer (its partitions being looked up) is still owed: flush waits for it. */
    @Test
    void flushWaitsForARecordWhoseTopicIsBeingLookedUp() throws Exception {
        CountDownLatch lookingUp = new CountDownLatch(1);
        CountDownLatch found = new CountDownLatch(1);
        Node node = new Node(0, "localhost", 9092);
        MockProducer<byte[], byte[]> slowMetadata = new MockProducer<>(new Cluster("test", List.of(node),
                List.of(new PartitionInfo(TOPICS.postsRaw().name(), 0, node, new Node[] {node}, new Node[] {node})),
                java.util.Set.of(), java.util.Set.of()), true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized List<PartitionInfo> partitionsFor(String topic) {
                lookingUp.countDown();
                try {
                    found.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return super.partitionsFor(topic);
            }
        };
        try (PostPublisher publisher = publisher(slowMetadata)) {
            publisher.heartbeat(OBSERVED, "replay");
            assertTrue(lookingUp.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> flushed = CompletableFuture.runAsync(publisher::flush);

            assertThrows(java.util.concurrent.TimeoutException.class, () -> flushed.get(200, TimeUnit.MILLISECONDS));
            found.countDown();
            flushed.get(10, TimeUnit.SECONDS);
            assertEquals(1, slowMetadata.history().size(), "the heartbeat sent before flush returned");
        }
    }

    /** The bounds are checked again where records are written: the broker never sees a post out of them. */
    @Test
    void aPostOutOfBoundsBecomesADeadLetterAndNeverReachesPostsRaw() {
        MockProducer<byte[], byte[]> producer = producer(true);
        Post year1969 = post("weibo-ced:old", Instant.parse("1969-12-31T23:59:59Z"), 1);
        try (PostPublisher publisher = publisher(producer)) {
            publisher.publish(year1969);
            publisher.publish(POST);
            publisher.flush();
            assertEquals(1, publisher.published());
            assertEquals(1, publisher.rejected());
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(List.of("replay-1.posts.dlq", "replay-1.posts.raw"), sent.stream().map(ProducerRecord::topic).toList());
        DeadLetter deadLetter = Topics.DEAD_LETTER.deserialize("", sent.get(0).value());
        assertEquals("weibo-ced", deadLetter.source());
        assertEquals("replay-1.posts.raw, post weibo-ced:old", deadLetter.location());
        assertEquals("out of bounds: publishedAt is 1969-12-31T23:59:59Z, before the earliest accepted event time "
                + "2000-01-01T00:00:00Z (ingest.limits.earliest); observedAt is 1969-12-31T23:59:59Z, before the earliest "
                + "accepted event time 2000-01-01T00:00:00Z (ingest.limits.earliest)", deadLetter.reason());
        assertEquals(year1969, Topics.POST.deserialize("", deadLetter.input().getBytes(UTF_8)), "the post untouched");
    }

    /** A record the broker refuses for its own sake is a dead letter, and the publisher goes on as before. */
    @Test
    void aPostTheBrokerRefusesBecomesADeadLetterAndNothingElseIsHeldUp() {
        MockProducer<byte[], byte[]> producer = producer(false);
        try (PostPublisher publisher = publisher(producer)) {
            publisher.publish(POST);
            await(() -> producer.history().size() == 1, "the post sent");
            producer.errorNext(new InvalidTimestampException("Timestamp 1715000000000 of message is out of range"));
            await(() -> producer.history().size() == 2, "its dead letter sent");
            producer.completeNext();
            Post next = post("weibo-ced:next", OBSERVED, 1);
            publisher.publish(next);
            await(() -> producer.history().size() == 3, "the next post sent");
            producer.completeNext();
            publisher.flush();

            assertEquals(1, publisher.published());
            assertEquals(1, publisher.rejected());
            DeadLetter deadLetter = Topics.DEAD_LETTER.deserialize("", producer.history().get(1).value());
            assertEquals("the broker refused it: Timestamp 1715000000000 of message is out of range", deadLetter.reason());
            assertEquals(next, Topics.POST.deserialize("", producer.history().get(2).value()));
            assertEquals(PostPublisher.State.DELIVERING, publisher.state());
        }
    }

    /**
     * A send that fails otherwise (here: expired) replaces the producer, and everything the failed one had not
     * acknowledged is sent again by the next, in the order it was taken.
     */
    @Test
    void aFailedSendReplacesTheProducerWhichSendsEverythingUnacknowledgedAgainInOrder() {
        MockProducer<byte[], byte[]> failing = producer(false);
        MockProducer<byte[], byte[]> next = producer(true);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Post> posts = List.of(post("a", OBSERVED, 1), post("b", OBSERVED, 1), post("a", OBSERVED.plusSeconds(1), 2));
        try (PostPublisher publisher = publisher(DELIVERY, List.of(failing, next))) {
            publisher.bindTo(registry);
            posts.forEach(publisher::publish);
            await(() -> failing.history().size() == 3, "all three sent");
            assertEquals(3.0, registry.get("ingest.buffer.posts").gauge().value());
            failing.errorNext(new TimeoutException("Expiring 1 record(s) for replay-1.posts.raw-0: 120000 ms has passed"));

            publisher.flush();
            assertEquals(3, publisher.published());
            assertEquals(posts, next.history().stream().map(r -> Topics.POST.deserialize("", r.value())).toList());
            assertTrue(failing.closed(), "the failed producer is closed");
            assertEquals(PostPublisher.State.DELIVERING, publisher.state());
            assertEquals(1.0, registry.get("ingest.publisher.replacements").functionCounter().count());
            assertEquals(0.0, registry.get("ingest.buffer.posts").gauge().value());
            assertEquals(1.0, registry.get("ingest.publisher.state").tag("state", "delivering").gauge().value());
        }
    }

    /** A batch is taken whole or not at all; without room the caller learns when to offer it again. */
    @Test
    void anOfferIsTakenWholeOrRefusedWholeWhenTheBufferIsFull() throws Exception {
        MockProducer<byte[], byte[]> silent = producer(false); // the broker away: nothing is acknowledged
        long onePost = Topics.POST.serialize("", POST).length + POST.id().length();
        OpinionWatchConfig.Delivery room = new OpinionWatchConfig.Delivery(3 * onePost, Duration.ofSeconds(5));
        try (PostPublisher publisher = publisher(room, List.of(silent, producer(true)))) {
            publisher.offer(List.of(POST, POST));
            PostSink.Unavailable full = assertThrows(PostSink.Unavailable.class, () -> publisher.offer(List.of(POST, POST)));
            assertEquals("ingest's buffer is full: 2 posts wait for the broker", full.getMessage());
            assertTrue(full.retryAfter().compareTo(Duration.ofSeconds(1)) >= 0);
            publisher.offer(List.of(POST)); // one more fits
            assertThrows(PostSink.Unavailable.class, () -> publisher.offer(List.of(POST)));
            assertEquals(false, publisher.tryReject(new DeadLetter("push", "POST /posts", "bad", "{}", OBSERVED)));

            await(() -> silent.history().size() == 3, "the three taken sent");
            silent.errorNext(new TimeoutException("expired"));
            publisher.flush();
            assertEquals(3, publisher.published(), "the three taken, and only they");
        }
    }

    /** What no dead letter can stand for (a heartbeat, a dead letter) is thrown from flush, once. */
    @Test
    void aHeartbeatTheBrokerRefusesIsThrownFromFlushOnce() {
        MockProducer<byte[], byte[]> producer = producer(false);
        try (PostPublisher publisher = publisher(producer)) {
            publisher.heartbeat(OBSERVED, "replay");
            await(() -> producer.history().size() == 3, "one heartbeat per partition");
            producer.errorNext(new InvalidTimestampException("Timestamp is out of range"));
            producer.completeNext();
            producer.completeNext();

            KafkaException refused = assertThrows(KafkaException.class, publisher::flush);
            assertEquals("sending to topic replay-1.posts.raw failed: Timestamp is out of range", refused.getMessage());
            publisher.flush();
        }
    }

    @Test
    void flushGivesUpWhenTheBrokerTakesNothingForTheDeliveryTimeout() {
        MockProducer<byte[], byte[]> silent = producer(false);
        PostPublisher publisher = publisher(new OpinionWatchConfig.Delivery(1024 * 1024, Duration.ofMillis(300)), List.of(silent));
        publisher.publish(POST);

        KafkaException stalled = assertThrows(KafkaException.class, publisher::flush);
        assertTrue(stalled.getMessage().startsWith("waited PT0.3S to deliver, and the broker took nothing: 1 records waiting"),
                stalled.getMessage());
        assertThrows(KafkaException.class, publisher::close, "what is left is lost, and said so");
        assertEquals(PostPublisher.State.CLOSED, publisher.state());
    }

    @Test
    void safetyAndTimeoutSettingsAreForcedAndThroughputSettingsAreDefaults() {
        Properties base = new Properties();
        base.put("bootstrap.servers", "localhost:9092");
        base.put("enable.idempotence", "false");
        base.put("acks", "1");
        base.put("linger.ms", "50");
        base.put("max.block.ms", "60000");

        Properties config = PostPublisher.producerConfig(base, Duration.ofSeconds(3));

        assertEquals("localhost:9092", config.get("bootstrap.servers"));
        assertEquals("true", config.get("enable.idempotence"));
        assertEquals("all", config.get("acks"));
        assertEquals("50", config.get("linger.ms"));
        assertEquals("lz4", config.get("compression.type"));
        assertEquals("5000", config.get("max.block.ms"));
        assertEquals("3000", config.get("delivery.timeout.ms"));
        assertEquals("2950", config.get("request.timeout.ms"), "linger and a request fit in the delivery timeout");
        assertEquals("30000", PostPublisher.producerConfig(base, Duration.ofMinutes(2)).get("request.timeout.ms"));
    }
}
