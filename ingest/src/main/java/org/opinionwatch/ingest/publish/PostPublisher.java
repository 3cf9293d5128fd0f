package org.opinionwatch.ingest.publish;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;

/**
 * Publishes posts to {@code posts.raw}, rejected input to {@code posts.dlq} and heartbeats to {@code clock}, with
 * keys and values written by the contract's serdes of each topic.
 *
 * <p>Sends are asynchronous. The first failure reported by the broker is kept and thrown, naming the topic, from the
 * next call: {@link #flush()} and {@link #close()} at the latest, so a failed send is never silent.
 */
public final class PostPublisher implements PostSink, AutoCloseable {
    private final Topics topics;
    private final Producer<byte[], byte[]> producer;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicReference<Failure> firstFailure = new AtomicReference<>();

    private record Failure(String topic, Exception cause) {
    }

    /** @param producerBase producer settings, at least {@code bootstrap.servers} */
    public PostPublisher(Topics topics, Properties producerBase) {
        this(topics, new KafkaProducer<>(producerConfig(producerBase), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** For tests with Kafka's {@code MockProducer}. */
    PostPublisher(Topics topics, Producer<byte[], byte[]> producer) {
        this.topics = topics;
        this.producer = producer;
    }

    /**
     * The settings that make publishing safe are forced: idempotence with acks from all in-sync replicas, so that
     * a retry never duplicates nor reorders the snapshots of a post. Throughput settings are defaults that
     * {@code producerBase} may override.
     */
    static Properties producerConfig(Properties producerBase) {
        Properties config = new Properties();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "opinion-watch-ingest");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "10");                     // replays send bursts: batch them
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024)); // snapshots are ~1 KiB
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");              // snapshots of a post repeat its text
        config.putAll(producerBase);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * Sends one snapshot, keyed by post id, to its incident's partition ({@link IncidentPartitions}), with the
     * post's event time ({@code observedAt}) as record time and the wall-clock time of intake in the
     * {@link Post#INTAKE_HEADER} header.
     */
    @Override
    public void publish(Post post) {
        Headers headers = new RecordHeaders().add(Post.INTAKE_HEADER,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
        String name = topics.postsRaw().name();
        int partition = IncidentPartitions.of(post.rootId(), producer.partitionsFor(name).size()); // metadata cached by the producer
        send(topics.postsRaw(), partition, post.observedAt().toEpochMilli(), post.id(), post, headers, published);
    }

    /** Sends rejected input, keyed by its source, at the wall-clock time of sending. */
    @Override
    public void reject(DeadLetter deadLetter) {
        send(topics.postsDlq(), null, System.currentTimeMillis(), deadLetter.source(), deadLetter, null, rejected);
    }

    /**
     * Advances event time to {@code time} on every partition of the clock topic: stream time moves per partition,
     * so one heartbeat on one partition would leave the timers of the others waiting.
     */
    public void heartbeat(Instant time, String source) {
        Heartbeat heartbeat = new Heartbeat(time, source);
        for (PartitionInfo partition : producer.partitionsFor(topics.clock().name())) {
            send(topics.clock(), partition.partition(), time.toEpochMilli(), null, heartbeat, null, null);
        }
    }

    /** The producer's own meters (Micrometer's Kafka client binder), to bind where the stage serves its metrics. */
    public MeterBinder clientMetrics() {
        return new KafkaClientMetrics(producer);
    }

    /** Posts acknowledged by the broker so far. */
    public long published() {
        return published.get();
    }

    /** Dead letters acknowledged by the broker so far. */
    public long rejected() {
        return rejected.get();
    }

    /** Waits until everything sent is acknowledged; throws if any send failed. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Sends what is pending and closes; throws if any send failed. */
    @Override
    public void close() {
        producer.close();
        throwIfFailed();
    }

    private <V> void send(Topic<String, V> topic, Integer partition, long timestamp, String key, V value, Headers headers,
                          AtomicLong acknowledged) {
        throwIfFailed(); // after a failure, stop rather than publish a replay with a hole in it
        String name = topic.name();
        byte[] keyBytes = topic.keySerde().serializer().serialize(name, key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(name, value);
        producer.send(new ProducerRecord<>(name, partition, timestamp, keyBytes, valueBytes, headers), (metadata, exception) -> {
            if (exception != null) {
                firstFailure.compareAndSet(null, new Failure(name, exception));
            } else if (acknowledged != null) {
                acknowledged.incrementAndGet();
            }
        });
    }

    private void throwIfFailed() {
        Failure failure = firstFailure.get();
        if (failure != null) {
            // A new exception each time: try-with-resources may add the one from close() to the one from flush().
            throw new KafkaException("sending to topic " + failure.topic() + " failed: " + failure.cause().getMessage(),
                    failure.cause());
        }
    }
}
