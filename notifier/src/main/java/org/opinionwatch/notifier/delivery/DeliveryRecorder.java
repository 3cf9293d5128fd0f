package org.opinionwatch.notifier.delivery;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.notifier.webhook.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes delivery records with an idempotent producer, and returns only once the broker has one: the notification's
 * offset is committed after its record is written, so that no outcome goes unrecorded.
 */
public final class DeliveryRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRecorder.class);

    private final Producer<String, Delivery> producer;
    private final String topic;
    private final Backoff backoff;

    public DeliveryRecorder(OpinionWatchConfig.Kafka kafka, Topic<String, Delivery> topic, Backoff backoff) {
        Properties config = KafkaClients.properties(kafka);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic.name();
        this.backoff = backoff;
    }

    /**
     * Writes one record and waits for the broker's acknowledgement. The producer retries by itself for
     * {@code delivery.timeout.ms} (2 minutes); a longer outage of the cluster is waited out here, with backoff.
     *
     * @param key the notification's key: its incident id
     * @throws InterruptedException when the notifier closes meanwhile
     */
    void record(String key, Delivery delivery) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                producer.send(new ProducerRecord<>(topic, key, delivery)).get();
                return;
            } catch (ExecutionException e) {
                Duration wait = backoff.delay(failures, ThreadLocalRandom.current().nextDouble());
                LOG.warn("Cannot write the delivery record of notification {} to {} ({}), again in {} ms",
                        delivery.notificationId(), topic, e.getCause().toString(), wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
