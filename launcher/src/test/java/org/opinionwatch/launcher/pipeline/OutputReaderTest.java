package org.opinionwatch.launcher.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topic;

class OutputReaderTest {
    private static final long T0 = 1_700_000_000_000L;

    /** A record as written: {@code millis} after {@link #T0}; a null value is a tombstone. */
    private record Written(String topic, String key, long millis, String value) {
    }

    /** The records in the order written, one topic after the other. */
    private static final List<Written> WRITTEN = List.of(
            new Written("notifications", "digest-OFFICE", 0, "digest"),
            new Written("notifications", "weibo-ced:2", 0, "second incident"),
            new Written("notifications", "weibo-ced:1", 0, "first incident, first"),
            new Written("notifications", "weibo-ced:1", 0, "first incident, then"),
            new Written("notifications", "weibo-ced:3", 0, null),
            new Written("notifications", "weibo-ced:1", -1, "earlier"),
            new Written("incidents.severity", "weibo-ced:2", 0, "change"));

    /**
     * Events of one instant come by topic (in the order asked for), then key, then as written: the same order whatever
     * the number of partitions the outputs have, as records of one key always share one.
     */
    @Test
    void theEventsOfOneInstantAreInTheSameOrderWhateverThePartitions() throws Exception {
        List<String> expected = List.of(
                "notifications weibo-ced:1 -1 earlier",
                "incidents.severity weibo-ced:2 0 change",
                "notifications digest-OFFICE 0 digest",
                "notifications weibo-ced:1 0 first incident, first",
                "notifications weibo-ced:1 0 first incident, then",
                "notifications weibo-ced:2 0 second incident");
        for (int partitions : List.of(1, 2, 3, 4)) {
            assertEquals(expected, writtenAndRead(partitions), partitions + " partitions");
        }
    }

    private static List<String> writtenAndRead(int partitions) throws ExecutionException, InterruptedException {
        String prefix = "output-reader-" + partitions + "-" + System.nanoTime() + ".";
        OpinionWatchConfig.Kafka kafka = ConfigLoader.load(null, Map.of()).withBootstrapServers(EmbeddedKafka.shared().bootstrapServers()).kafka();
        try (Admin admin = Admin.create(KafkaClients.settings(kafka))) {
            admin.createTopics(List.of(new NewTopic(prefix + "notifications", partitions, (short) 1),
                    new NewTopic(prefix + "incidents.severity", partitions, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(KafkaClients.settings(kafka), new StringSerializer(), new ByteArraySerializer())) {
            for (Written r : WRITTEN) {
                producer.send(new ProducerRecord<>(prefix + r.topic(), null, T0 + r.millis(), r.key(),
                        r.value() == null ? null : r.value().getBytes(UTF_8))).get();
            }
        }
        List<Topic<String, ?>> topics = List.of(topic(prefix + "incidents.severity"), topic(prefix + "notifications"));
        return OutputReader.readAll(kafka, prefix, topics).stream()
                .map(e -> e.topic() + " " + e.key() + " " + (e.time().toEpochMilli() - T0) + " " + new String(e.value(), UTF_8)).toList();
    }

    private static Topic<String, byte[]> topic(String name) {
        return new Topic<>(name, Serdes.String(), Serdes.ByteArray(), true);
    }
}
