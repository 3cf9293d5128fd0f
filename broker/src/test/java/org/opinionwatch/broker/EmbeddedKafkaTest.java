package org.opinionwatch.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class EmbeddedKafkaTest {

    @Test
    void transactionalRecordsAreReadCommitted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0)) {
            String bootstrap = kafka.bootstrapServers();
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("opinions", 3, (short) 1))).all().get();
                assertEquals(3, admin.describeTopics(List.of("opinions")).allTopicNames().get()
                        .get("opinions").partitions().size());
            }

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.initTransactions();

                // An aborted transaction first: read_committed must never show it.
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("opinions", 0, "k", "aborted"));
                producer.flush();
                producer.abortTransaction();

                producer.beginTransaction();
                for (int partition = 0; partition < 3; partition++) {
                    producer.send(new ProducerRecord<>("opinions", partition, "k" + partition, "v" + partition));
                }
                producer.commitTransaction();
            }

            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                consumer.subscribe(List.of("opinions"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                // Give a stray aborted record a chance to show up before asserting.
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertEquals(Set.of("v0", "v1", "v2"), new TreeSet<>(values));
            assertEquals(3, values.size(), values.toString());
        }
    }

    @Test
    void twoBrokersRunSideBySide() throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(null, 0);
             EmbeddedKafka second = EmbeddedKafka.start(null, 0);
             Admin firstAdmin = admin(first.bootstrapServers());
             Admin secondAdmin = admin(second.bootstrapServers())) {
            assertNotEquals(first.bootstrapServers(), second.bootstrapServers());

            // Independent clusters: a topic created on one does not exist on the other.
            firstAdmin.createTopics(List.of(new NewTopic("only-on-first", 1, (short) 1))).all().get();
            secondAdmin.createTopics(List.of(new NewTopic("only-on-second", 1, (short) 1))).all().get();
            assertEquals(Set.of("only-on-first"), firstAdmin.listTopics().names().get());
            assertEquals(Set.of("only-on-second"), secondAdmin.listTopics().names().get());
            assertNotEquals(firstAdmin.describeCluster().clusterId().get(),
                    secondAdmin.describeCluster().clusterId().get());
        }
    }

    @Test
    void restartsOnAGivenDataDirectory(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0); Admin admin = admin(kafka.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0); Admin admin = admin(kafka.bootstrapServers())) {
            assertEquals(Set.of("kept"), admin.listTopics().names().get());
        }
    }

    @Test
    void sharedBrokerIsReused() {
        assertEquals(EmbeddedKafka.shared(), EmbeddedKafka.shared());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }
}
