package org.opinionwatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.replay.Replay;

/**
 * A release's state, taken from a cluster after its classifier and escalation stopped cleanly, and put into another
 * cluster for a later release to start on. Three JSON Lines files, topic and group names without the namespace:
 *
 * <ul>
 *   <li>{@code changelogs.jsonl}: every changelog topic of the two stages as compaction leaves it, the latest record of
 *       each key (a deletion leaves none): topic, its number of partitions, partition, key, the value as stored (its
 *       text when it is JSON, else its bytes in base64 as {@code valueBase64}), timestamp and headers (base64);</li>
 *   <li>{@code consumed.jsonl}: per stage (consumer group), topic and partition, how many records it had consumed
 *       (data records: transaction markers take offsets too, and a cluster written afresh has none; nor, of
 *       posts.raw, the clock's heartbeats the classifier relayed there, which the scenario does not publish again),
 *       and the metadata Kafka Streams committed with the offset (the partition's stream time). Repartition topics are
 *       left out: a stage that stopped cleanly after catching up left nothing in them;</li>
 *   <li>{@code outputs.jsonl}: the severity changes, forecasts, notifications and checkpoints so far, as a replay's
 *       {@code --output} writes them.</li>
 * </ul>
 */
record StateFixture(List<Stored> changelogs, List<Consumed> consumed, List<OutputEvent> outputs) {
    static final Path DIR = Path.of("src", "test", "resources", "upgrade");

    /**
     * One record of a changelog as it is stored.
     *
     * @param value its bytes: written to the fixture as text when they are JSON, in base64 ({@code valueBase64}) when
     *     they are a store's compact bytes ({@code CompactSerde})
     */
    record Stored(String topic, int partitions, int partition, String key, byte[] value, long timestamp, Map<String, String> headers) {
    }

    /** How far a stage had read one partition: {@code records} data records, with Kafka Streams' commit metadata. */
    record Consumed(String group, String topic, int partition, long records, String metadata) {
    }

    /** The stages' state in {@code config}'s namespace, once both have stopped. */
    static StateFixture capture(OpinionWatchConfig config) {
        String prefix = config.topicNames().prefix();
        List<String> applications = List.of(config.classifier().applicationId(), config.escalation().applicationId());
        try (Admin admin = Admin.create(KafkaClients.settings(config.kafka()))) {
            List<String> changelogTopics = admin.listTopics().names().get().stream()
                    .filter(t -> t.endsWith("-changelog") && applications.stream().anyMatch(a -> t.startsWith(a + "-")))
                    .sorted().toList();
            Map<String, Integer> partitions = new HashMap<>();
            admin.describeTopics(changelogTopics).allTopicNames().get().forEach((name, d) -> partitions.put(name, d.partitions().size()));
            // The latest record of each key, as compaction leaves a changelog; a deletion leaves nothing.
            Map<String, Stored> latest = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : readAll(config, changelogTopics)) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                Stored stored = new Stored(r.topic().substring(prefix.length()), partitions.get(r.topic()), r.partition(), key,
                        r.value(), r.timestamp(), headers(r));
                latest.put(stored.topic() + "\n" + stored.partition() + "\n" + key, stored);
            }
            List<Stored> changelogs = latest.values().stream().filter(s -> s.value() != null)
                    .sorted(Comparator.comparing(Stored::topic).thenComparingInt(Stored::partition).thenComparing(Stored::key)).toList();

            List<Consumed> consumed = new ArrayList<>();
            for (String group : applications) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                // A stage that stopped with records left would resume on them: the fixture is the state of stages caught up.
                admin.listOffsets(committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
                        .forEach((tp, end) -> {
                            if (committed.get(tp).offset() != end.offset()) {
                                throw new IllegalStateException(group + " stopped at " + committed.get(tp).offset() + " of " + tp + ", not at its end " + end.offset());
                            }
                        });
                Map<TopicPartition, OffsetAndMetadata> kept = committed.entrySet().stream()
                        .filter(e -> !e.getKey().topic().endsWith("-repartition"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                Map<TopicPartition, Long> counts = new HashMap<>();
                Set<String> topics = kept.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
                List<ConsumerRecord<byte[], byte[]>> read = readAll(config, List.copyOf(topics));
                Set<ByteBuffer> relayed = relayedHeartbeats(config, read);
                for (ConsumerRecord<byte[], byte[]> r : read) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    boolean relay = r.topic().equals(config.topicNames().postsRaw().name()) && r.value() != null
                            && relayed.contains(ByteBuffer.wrap(r.value()));
                    if (kept.containsKey(tp) && r.offset() < kept.get(tp).offset() && !relay) {
                        counts.merge(tp, 1L, Long::sum);
                    }
                }
                kept.forEach((tp, offset) -> consumed.add(new Consumed(group.substring(prefix.length()), tp.topic().substring(prefix.length()),
                        tp.partition(), counts.getOrDefault(tp, 0L), offset.metadata())));
            }
            consumed.sort(Comparator.comparing(Consumed::group).thenComparing(Consumed::topic).thenComparingInt(Consumed::partition));
            return new StateFixture(changelogs, consumed, UpgradeScenario.Events.of(config).events());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the stages' state: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The clock's heartbeats as their bytes: the classifier relays each to every partition of posts.raw as it is, so
     * a record of posts.raw with the same bytes is the stages' own, which the scenario does not publish again.
     */
    private static Set<ByteBuffer> relayedHeartbeats(OpinionWatchConfig config, List<ConsumerRecord<byte[], byte[]>> read) {
        String clock = config.topicNames().clock().name();
        return read.stream().filter(r -> r.topic().equals(clock) && r.value() != null).map(r -> ByteBuffer.wrap(r.value())).collect(Collectors.toSet());
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : Base64.getEncoder().encodeToString(h.value()));
        }
        return headers;
    }

    /** Every committed record of the topics, in each partition's order. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(OpinionWatchConfig config, List<String> topics) {
        Map<String, Object> settings = KafkaClients.settings(config.kafka(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream()
                    .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("changelogs.jsonl"), StandardCharsets.UTF_8)) {
                for (Stored s : changelogs) {
                    ObjectNode line = Json.TOLERANT.createObjectNode();
                    line.put("topic", s.topic()).put("partitions", s.partitions()).put("partition", s.partition()).put("key", s.key())
                            .put("timestamp", Instant.ofEpochMilli(s.timestamp()).toString());
                    if (s.value().length > 0 && s.value()[0] == '{') {
                        line.put("value", new String(s.value(), StandardCharsets.UTF_8));
                    } else {
                        line.put("valueBase64", Base64.getEncoder().encodeToString(s.value()));
                    }
                    if (!s.headers().isEmpty()) {
                        ObjectNode headers = line.putObject("headers");
                        s.headers().forEach(headers::put);
                    }
                    out.write(Json.TOLERANT.writeValueAsString(line));
                    out.write('\n');
                }
            }
            try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("consumed.jsonl"), StandardCharsets.UTF_8)) {
                for (Consumed c : consumed) {
                    ObjectNode line = Json.TOLERANT.createObjectNode();
                    line.put("group", c.group()).put("topic", c.topic()).put("partition", c.partition()).put("records", c.records())
                            .put("metadata", c.metadata());
                    out.write(Json.TOLERANT.writeValueAsString(line));
                    out.write('\n');
                }
            }
            Replay.writeJsonLines(outputs, dir.resolve("outputs.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fixture to " + dir, e);
        }
    }

    static StateFixture read(Path dir) {
        List<Stored> changelogs = lines(dir.resolve("changelogs.jsonl"), l -> {
            Map<String, String> headers = new LinkedHashMap<>();
            l.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().isNull() ? null : h.getValue().asText()));
            return new Stored(l.get("topic").asText(), l.get("partitions").asInt(), l.get("partition").asInt(), l.get("key").asText(),
                    l.has("value") ? l.get("value").asText().getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(l.get("valueBase64").asText()),
                    Instant.parse(l.get("timestamp").asText()).toEpochMilli(), headers);
        });
        List<Consumed> consumed = lines(dir.resolve("consumed.jsonl"), l -> new Consumed(l.get("group").asText(), l.get("topic").asText(),
                l.get("partition").asInt(), l.get("records").asLong(), l.path("metadata").isNull() ? null : l.path("metadata").asText()));
        List<OutputEvent> outputs = lines(dir.resolve("outputs.jsonl"), l -> new OutputEvent(l.get("topic").asText(),
                l.get("key").isNull() ? null : l.get("key").asText(), Instant.parse(l.get("time").asText()), l.get("event")));
        return new StateFixture(changelogs, consumed, outputs);
    }

    private static <T> List<T> lines(Path file, Function<JsonNode, T> parse) {
        try {
            List<T> all = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    all.add(parse.apply(Json.TOLERANT.readTree(line)));
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fixture's " + file, e);
        }
    }

    /**
     * Creates the stages' changelog topics in {@code config}'s namespace as Kafka Streams does (compacted, with the
     * settings a replay gives the stages' own topics: {@link TopicSetup#ANY_TIMESTAMP}) and writes the fixture's
     * records into them.
     */
    void restoreChangelogs(Admin admin, OpinionWatchConfig config) {
        String prefix = config.topicNames().prefix();
        Map<String, String> settings = new HashMap<>(TopicSetup.ANY_TIMESTAMP);
        settings.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, Integer> partitions = new java.util.TreeMap<>();
        changelogs.forEach(s -> partitions.put(prefix + s.topic(), s.partitions()));
        List<String> topics = List.copyOf(partitions.keySet());
        try {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions.get(t), config.kafka().replicationFactor())
                    .configs(settings)).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the changelog topics: " + e.getCause().getMessage(), e.getCause());
        }
        TopicSetup.awaitServed(admin, topics);
        try (var producer = new KafkaProducer<>(KafkaClients.settings(config.kafka(), Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Stored s : changelogs) {
                List<Header> headers = new ArrayList<>();
                s.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v == null ? null : Base64.getDecoder().decode(v))));
                producer.send(new ProducerRecord<>(prefix + s.topic(), s.partition(), s.timestamp(), s.key().getBytes(StandardCharsets.UTF_8),
                        s.value(), headers));
            }
            producer.flush();
        }
    }

    /**
     * Commits, for each stage's consumer group in {@code config}'s namespace, the position of every partition that
     * {@code offset} gives one for (given the partition with its namespace, and what the fixture says was consumed of it).
     */
    void commit(Admin admin, OpinionWatchConfig config, java.util.function.BiFunction<TopicPartition, Consumed, Long> offset) {
        String prefix = config.topicNames().prefix();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new LinkedHashMap<>();
        for (Consumed c : consumed) {
            TopicPartition tp = new TopicPartition(prefix + c.topic(), c.partition());
            Long position = offset.apply(tp, c);
            if (position != null) {
                byGroup.computeIfAbsent(prefix + c.group(), g -> new HashMap<>()).put(tp, new OffsetAndMetadata(position, c.metadata()));
            }
        }
        try {
            for (var group : byGroup.entrySet()) {
                admin.alterConsumerGroupOffsets(group.getKey(), group.getValue()).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot commit the stages' offsets: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
