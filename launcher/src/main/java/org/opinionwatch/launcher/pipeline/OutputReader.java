package org.opinionwatch.launcher.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topic;

/**
 * Reads whole output topics as they are now, committed records only, in event-time order; those of one instant by
 * topic (in the order given), then key, then as written. Tombstones (a compacted topic's deletions) are left out: they
 * carry no event.
 */
public final class OutputReader {
    /** How long a read waits at most for the transactions open as it starts to be resolved. */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private OutputReader() {
    }

    /** The records of {@code topics} as their stages wrote them; a store's changelog among them is left to the caller to read. */
    public static List<OutputEvent> readAll(OpinionWatchConfig.Kafka kafka, String prefix, List<Topic<String, ?>> topics) {
        Map<String, Object> props = KafkaClients.readingToEnd(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = topics.stream()
                    .flatMap(t -> consumer.partitionsFor(t.name()).stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = settled(kafka, consumer, partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        List<String> order = topics.stream().map(Topic::name).toList();
        // Records of one key share a partition, which keeps them in the order written: ordered by key, not partition,
        // the events of one instant are in the same order whatever the topics' number of partitions.
        records.sort(Comparator.<ConsumerRecord<String, byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(r -> order.indexOf(r.topic()))
                .thenComparing(ConsumerRecord::key, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records.stream().filter(r -> r.value() != null).map(r -> new OutputEvent(r.topic().substring(prefix.length()), r.key(),
                Instant.ofEpochMilli(r.timestamp()), r.value())).toList();
    }

    /**
     * Where the committed records end once every transaction open on the partitions as the read starts is resolved. A
     * stage's transaction shows its records to read_committed readers when its marker reaches their partition, which
     * can come after the stage's consumer offsets are committed: a reader that starts as soon as the stage's lag is
     * zero would otherwise end before them. Waits {@link #SETTLE} at most (a stage that never stops writing).
     */
    private static Map<TopicPartition, Long> settled(OpinionWatchConfig.Kafka kafka, KafkaConsumer<String, byte[]> committed,
                                                     Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> written;
        try (var uncommitted = new KafkaConsumer<>(KafkaClients.settings(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            written = uncommitted.endOffsets(partitions);
        }
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<TopicPartition, Long> end = committed.endOffsets(partitions);
            if (partitions.stream().allMatch(tp -> end.get(tp) >= written.get(tp)) || System.nanoTime() > deadline) {
                return end;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return end;
            }
        }
    }

    /** A record's JSON as a tree. */
    public static JsonNode json(byte[] value) {
        try {
            return Json.TOLERANT.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("an output record is not JSON", e);
        }
    }
}
