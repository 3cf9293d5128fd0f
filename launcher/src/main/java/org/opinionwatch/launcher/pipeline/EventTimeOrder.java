package org.opinionwatch.launcher.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/**
 * Puts the records of each partition of a topic in event-time order, in place: a partition out of order is read
 * whole, its records deleted, and written back in order (same partition, key, value, timestamp and headers). Each
 * incident's (key's) records keep the order they were written in, which is the order the classifier decided them:
 * the incidents are merged by the time of their next record. (A story that joins another incident closes its own
 * with a change dated when the story began, written after changes the incident made meanwhile: sorting those by
 * time would break its chain of levels and leave the escalation with an incident that never subsides.)
 *
 * <p>Why a replay needs it: the classifier writes an incident's fall or subsiding when its stream time passes the
 * instant, which happens while it processes a later record of another incident, and Kafka Streams runs the
 * punctuation that fires the timer after that record, or after several. So a partition of incidents.severity can
 * hold another incident's change of 11 June before a subsiding of 10 June, and how many records come between
 * depends on timing. The escalation takes each partition in offset order and moves its clock with them: it then
 * sent bulletins for a day or a week after the subsiding, a different number in each run. Sorted, its input is
 * the same in every run, at any speed.
 */
public final class EventTimeOrder {
    /** An incident's records not yet merged, in the order written; the next one first. */
    private record Pending(String key, Deque<ConsumerRecord<byte[], byte[]>> records) {
    }

    /** The incident whose next record is earliest goes first; at equal instants, the incidents in key order. */
    private static final Comparator<Pending> NEXT = Comparator
            .<Pending>comparingLong(p -> p.records().peekFirst().timestamp())
            .thenComparing(Pending::key);

    private EventTimeOrder() {
    }

    /**
     * Sorts every partition of {@code topics} that is out of order. Nothing may write to them meanwhile, and nothing
     * may have read them yet: they must be done with and not yet taken.
     *
     * @return how many partitions were rewritten
     */
    public static int sort(Admin admin, OpinionWatchConfig.Kafka kafka, List<String> topics) {
        Map<String, Object> consumerConfig = KafkaClients.settings(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        Map<String, Object> producerConfig = KafkaClients.settings(kafka, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        int rewritten = 0;
        try (var consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                for (var info : consumer.partitionsFor(topic)) {
                    TopicPartition tp = new TopicPartition(topic, info.partition());
                    List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, tp);
                    List<ConsumerRecord<byte[], byte[]>> sorted = merged(records);
                    if (sorted.equals(records)) {
                        continue;
                    }
                    long end = consumer.position(tp);
                    deleteBefore(admin, tp, end);
                    for (ConsumerRecord<byte[], byte[]> r : sorted) {
                        producer.send(new ProducerRecord<>(topic, tp.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
                    }
                    producer.flush();
                    rewritten++;
                }
            }
        }
        return rewritten;
    }

    /** The records merged by the time of each incident's next one, each incident's in the order written. */
    static List<ConsumerRecord<byte[], byte[]>> merged(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Pending> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            byKey.computeIfAbsent(key, k -> new Pending(k, new ArrayDeque<>())).records().add(r);
        }
        PriorityQueue<Pending> next = new PriorityQueue<>(NEXT);
        next.addAll(byKey.values());
        List<ConsumerRecord<byte[], byte[]>> merged = new ArrayList<>(records.size());
        while (!next.isEmpty()) {
            Pending p = next.poll();
            merged.add(p.records().pollFirst());
            if (!p.records().isEmpty()) {
                next.add(p);
            }
        }
        return merged;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (consumer.position(tp) < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static void deleteBefore(Admin admin, TopicPartition tp, long offset) {
        try {
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sorting " + tp, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot sort " + tp + " in event-time order: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
