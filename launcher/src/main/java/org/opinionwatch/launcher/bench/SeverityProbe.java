package org.opinionwatch.launcher.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topics;

/**
 * Reads incidents.severity as a downstream service would, committed records only, and times each change on arrival:
 * the wall clock when the poll returned it less the {@code observedAt} of the snapshot that caused it.
 */
final class SeverityProbe implements AutoCloseable {
    /** A severity change as read: the observation that caused it, how long after it the change was read, its level. */
    record Timed(Instant observedAt, Duration latency, boolean majorOrCritical) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Thread thread;
    private final List<Timed> changes = new ArrayList<>();
    private volatile boolean draining;
    private volatile boolean stopped;
    private final CountDownLatch drained = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private SeverityProbe(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = partitions;
        this.thread = new Thread(this::poll, "bench-severity-probe");
    }

    /** Subscribed from the topic's beginning and positioned before it returns, so no change is timed late. */
    static SeverityProbe start(OpinionWatchConfig.Kafka kafka, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.settings(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
        SeverityProbe probe = new SeverityProbe(consumer, partitions);
        probe.thread.start();
        return probe;
    }

    /**
     * Once everything was sent and the classifier has caught up: reads on to the topic's current end and returns
     * every change timed, in the order read.
     */
    List<Timed> drain(Duration timeout) {
        draining = true;
        try {
            if (!drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("incidents.severity was not read to its end within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading incidents.severity", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        synchronized (this) {
            return List.copyOf(changes);
        }
    }

    private void poll() {
        Map<TopicPartition, Long> end = null;
        try {
            while (!stopped) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(20));
                Instant received = Instant.now();
                synchronized (this) {
                    for (ConsumerRecord<String, byte[]> r : records) {
                        SeverityChange change = Topics.SEVERITY_CHANGE.deserialize(r.topic(), r.value());
                        changes.add(new Timed(change.observedAt(), Duration.between(change.observedAt(), received),
                                change.to().compareTo(Level.MAJOR) >= 0));
                    }
                }
                if (draining) {
                    // The end, for read_committed, is the last stable offset: what the classifier has committed.
                    end = end == null ? consumer.endOffsets(partitions) : end;
                    Map<TopicPartition, Long> target = end;
                    if (partitions.stream().allMatch(tp -> consumer.position(tp) >= target.get(tp))) {
                        drained.countDown();
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
            drained.countDown();
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
