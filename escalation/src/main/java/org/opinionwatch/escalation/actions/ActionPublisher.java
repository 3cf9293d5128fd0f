package org.opinionwatch.escalation.actions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.topic.Topics;

/**
 * Publishes actions on the {@code actions} topic, one at a time and waiting for each: a person who records an action
 * must learn whether it was recorded. The record's key is the incident id (a silence's goes to every partition, keyed
 * by its id), so an incident's actions stay in order on
 * one partition beside its other records, and its timestamp is the action's time, the escalation stage's event time.
 * Idempotent with acks from all in-sync replicas: a retry never duplicates an action. Thread-safe.
 */
public final class ActionPublisher implements AutoCloseable {
    /** How long the cluster has to acknowledge an action before publishing is reported as failed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, Action> producer;
    private final String topic;
    private final String bootstrapServers;
    private final Duration timeout;

    /** @param timeout how long one {@link #publish} may take, also when the cluster does not answer at all */
    public ActionPublisher(OpinionWatchConfig config, Duration timeout) {
        this.topic = config.topicNames().actions().name();
        this.bootstrapServers = config.kafka().bootstrapServers();
        this.timeout = timeout;
        int millis = Math.toIntExact(timeout.toMillis());
        this.producer = new KafkaProducer<>(KafkaClients.settings(config.kafka(), Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "opinion-watch-actions",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0, // one action at a time: nothing to wait for to batch
                // The wait for the topic's metadata (a cluster that does not answer) and for the acknowledgement are
                // both bounded by the timeout; the delivery timeout must cover linger and one request.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis)),
                new StringSerializer(), Topics.ACTION.serializer());
    }

    /**
     * Publishes the action and waits until the cluster has it.
     *
     * @throws KafkaException when it is not acknowledged within the timeout, with why; it may still arrive, and
     *     publishing the same action again is safe, as its id is the same
     */
    public void publish(Action action) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // A silence is every task's: it goes to every partition, as heartbeats do; the rest to its incident's.
            boolean everywhere = action.kind() == Action.Kind.SILENCE || action.kind() == Action.Kind.UNSILENCE;
            List<Integer> partitions = everywhere ? producer.partitionsFor(topic).stream().map(PartitionInfo::partition).toList()
                    : java.util.Collections.singletonList(null);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Integer p : partitions) {
                sent.add(producer.send(new ProducerRecord<>(topic, p, action.at().toEpochMilli(), action.key(), action)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw notPublished(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw notPublished("no acknowledgement", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notPublished("interrupted", e);
        } catch (KafkaException e) {
            throw notPublished(e.getMessage(), e);
        }
    }

    private KafkaException notPublished(String why, Throwable cause) {
        return new KafkaException("the action was not recorded on " + topic + " at " + bootstrapServers + " within "
                + seconds(timeout) + ": " + why, cause);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Waits up to the timeout for what is still being sent, then closes. */
    @Override
    public void close() {
        producer.close(timeout);
    }
}
