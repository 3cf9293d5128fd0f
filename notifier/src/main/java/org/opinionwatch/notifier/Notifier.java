package org.opinionwatch.notifier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.notifier.channel.Channel;
import org.opinionwatch.notifier.channel.Channels;
import org.opinionwatch.notifier.channel.Sender;
import org.opinionwatch.notifier.delivery.DeliveryLoop;
import org.opinionwatch.notifier.delivery.DeliveryMetrics;
import org.opinionwatch.notifier.delivery.DeliveryRecorder;
import org.opinionwatch.notifier.render.Frame;
import org.opinionwatch.notifier.render.Links;
import org.opinionwatch.notifier.route.Routing;
import org.opinionwatch.notifier.webhook.Backoff;
import org.opinionwatch.notifier.webhook.WebhookClient;

/**
 * The reference notifier: reads {@code notifications}, sends each to the channels of its role (or its subject's
 * department), WeCom, DingTalk and Feishu robots, e-mail and signed webhooks, addressing whoever is on duty, until
 * each channel takes or refuses it, and records every outcome on {@code notifications.deliveries}. Instances with the
 * same {@code notifier.groupId} share the partitions. The operator's guide is {@code docs/channels.md}.
 */
public final class Notifier implements AutoCloseable {
    private final Map<String, Channel> channels;
    private final WebhookClient client;
    private final DeliveryRecorder recorder;
    private final DeliveryLoop loop;
    private final Thread thread;
    private final KafkaConsumer<String, byte[]> consumer;

    private Notifier(Map<String, Channel> channels, WebhookClient client, DeliveryRecorder recorder, DeliveryLoop loop,
                     KafkaConsumer<String, byte[]> consumer) {
        this.channels = channels;
        this.consumer = consumer;
        this.client = client;
        this.recorder = recorder;
        this.loop = loop;
        this.thread = new Thread(loop, "opinionwatch-notifier-poll");
    }

    /**
     * Checks what only the notifier needs: every channel's credentials and the action links' secret.
     *
     * @throws ConfigException naming the key and the variable that gives it
     */
    public static void check(OpinionWatchConfig config) {
        try (WebhookClient client = new WebhookClient(config.notifier().timeout(), Clock.systemUTC())) {
            Channels.of(config, client, Clock.systemUTC());
            new Links(config.escalation().actions().links(), Clock.systemUTC());
        }
    }

    /**
     * Starts reading and delivering on threads of its own.
     *
     * @param meters where the notifier's meters go (see {@link DeliveryMetrics})
     * @throws ConfigException when a channel lacks a credential, or the links their secret
     */
    public static Notifier start(OpinionWatchConfig config, MeterRegistry meters) {
        OpinionWatchConfig.Notifier settings = config.notifier();
        Clock clock = Clock.systemUTC();
        Links links = new Links(config.escalation().actions().links(), clock);
        WebhookClient client = new WebhookClient(settings.timeout(), clock);
        Map<String, Channel> channels;
        try {
            channels = Channels.of(config, client, clock);
        } catch (ConfigException e) {
            client.close();
            throw e;
        }
        Topics topics = config.topicNames();
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        Sender sender = new Sender(backoff, clock, () -> ThreadLocalRandom.current().nextDouble());
        DeliveryRecorder recorder = new DeliveryRecorder(config.kafka(), topics.deliveries(), backoff);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(), new ByteArrayDeserializer());
        Frame frame = new Frame(config.escalation().locale(), ZoneId.of(config.escalation().zone()));
        DeliveryLoop loop = new DeliveryLoop(consumer, topics.notifications().name(), channels, new Routing(config, Channels.webhookNames(config)),
                links, frame, sender, recorder, new DeliveryMetrics(meters), clock, settings.maxPending());
        Notifier notifier = new Notifier(channels, client, recorder, loop, consumer);
        notifier.thread.start();
        return notifier;
    }

    /** The consumer's own meters (Micrometer's Kafka client binder: lag among them), to bind where metrics are served. */
    public MeterBinder clientMetrics() {
        return new KafkaClientMetrics(consumer);
    }

    private static Properties consumerConfig(OpinionWatchConfig config) {
        Properties p = KafkaClients.properties(config.kafka());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.notifier().groupId());
        // Offsets are committed only for notifications finished: delivered, refused or skipped, and recorded.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The escalation stage writes notifications in transactions: an aborted one was never decided.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A group's first run delivers what was decided before it started rather than skip it.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A poll hands out at most this many more than the pending bound that pauses a partition.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.notifier().maxPending()));
        return p;
    }

    /** The channels, by name; each shows itself without its credentials. */
    public Map<String, Channel> channels() {
        return channels;
    }

    /** False once the notifier has stopped, by {@link #close} or on an error that {@link #failure} gives. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    public Optional<Throwable> failure() {
        return loop.failure();
    }

    /** Stops reading, abandons deliveries in progress (the next run makes them), commits what was finished. */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            recorder.close();
            client.close();
        }
    }
}
