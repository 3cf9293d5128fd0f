package org.opinionwatch.escalation.actions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.topology.EscalationTopology;

/**
 * The cases as the escalation stage last committed them, read from its stores' changelog topics: for
 * {@code opinion-watch act} and {@code silence}, which run away from the stage. An incident's case is the latest record
 * of its key in its partition of the case store's changelog (the partition of its incident, as every topic of the
 * stage); the silences are every task's, so one partition of theirs holds them all.
 */
public final class ChangelogCases implements Cases {
    private final OpinionWatchConfig config;
    private final Duration timeout;

    public ChangelogCases(OpinionWatchConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    @Override
    public Optional<Case> find(String incidentId) {
        String topic = EscalationTopology.changelog(config, EscalationTopology.INCIDENT_STORE);
        byte[] latest = null;
        boolean seen = false;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = partitions(consumer, topic);
            TopicPartition tp = new TopicPartition(topic, IncidentPartitions.of(incidentId, partitions.size()));
            for (ConsumerRecord<String, byte[]> r : readAll(consumer, tp)) {
                if (incidentId.equals(r.key())) {
                    latest = r.value();
                    seen = true;
                }
            }
        }
        return !seen || latest == null ? Optional.empty() : Optional.of(EscalationTopology.CASE.deserialize(topic, latest));
    }

    @Override
    public List<Action.Silence> silences() {
        String topic = EscalationTopology.changelog(config, EscalationTopology.SILENCE_STORE);
        Map<String, Action.Silence> all = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            partitions(consumer, topic);
            for (ConsumerRecord<String, byte[]> r : readAll(consumer, new TopicPartition(topic, 0))) {
                if (r.value() == null) {
                    all.remove(r.key());
                } else {
                    all.put(r.key(), EscalationTopology.SILENCE.deserialize(topic, r.value()).silence());
                }
            }
        }
        return List.copyOf(all.values());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        int millis = Math.toIntExact(timeout.toMillis());
        return new KafkaConsumer<>(KafkaClients.readingToEnd(config.kafka(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", // the stage writes its changelogs in transactions
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis)), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions; {@link Unavailable} when the stage has never run in this namespace. */
    private List<PartitionInfo> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        // Asked by name, not listed: a listing leaves out what this user may not describe, as if it did not exist.
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new Unavailable("no " + topic + ": the escalation stage has not run in this namespace (topics prefix '"
                    + config.topics().prefix() + "', application id " + config.escalation().applicationId() + ")");
        }
        return partitions;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer, TopicPartition tp) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(tp, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new Unavailable("could not read " + tp + " to its end within " + timeout.toSeconds() + " s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
