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

    /** The records as written, one topic after the other; each is (topic, key, time, value), a null value a tombstone. */
    private static final List<String[]> WRITTEN = List.of(
            new String[] {"notifications", "digest-OFFICE", "0", "digest"},
            new String[] {"notifications", "weibo-ced:2", "0", "second incident"},
            new String[] {"notifications", "weibo-ced:1", "0", "first incident, first"},
            new String[] {"notifications", "weibo-ced:1", "0", "first incident, then"},
            new String[] {"notifications", "weibo-ced:3", "0", null},
            new String[] {"notifications", "weibo-ced:1", "-1", "earlier"},
            new String[] {"incidents.severity", "weibo-ced:2", "0", "change"});

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
            for (String[] r : WRITTEN) {
                producer.send(new ProducerRecord<>(prefix + r[0], null, T0 + Long.parseLong(r[2]), r[1], r[3] == null ? null : r[3].getBytes(UTF_8))).get();
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
