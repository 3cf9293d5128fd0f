package org.opinionwatch.escalation.clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time that does not depend on ingest: beside the live escalation stage, it watches for heartbeats (ingest's among
 * the posts on {@code posts.raw}, anyone else's on {@code clock}) and, when none but its own has come for
 * {@code escalation.clock.silentAfter} of wall-clock time, writes
 * wall-clock heartbeats there itself, to every partition, every {@code every}, until ingest's come again. The
 * classifier takes them as it takes ingest's and passes its progress on to the escalation on its timeline, so
 * deadlines, digests and the daily report still come while ingest is down, and a replay of the topics still gives
 * what the live run gave: the heartbeats are records like ingest's. {@code escalation_clock_ingest_silent} is 1 meanwhile
 * (the alert of docs/response-plan.md).
 *
 * <p>Live only: a replay runs on the archive's clock, and a heartbeat of today would fire everything at once.
 */
public final class HeartbeatClock implements AutoCloseable {
    /** The source its heartbeats carry, so that it never takes its own for ingest's. */
    public static final String SOURCE = "escalation-clock";
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatClock.class);

    private final OpinionWatchConfig.Clock settings;
    private final Topic<String, Heartbeat> topic;
    private final Clock wall;
    /** Where others' heartbeats come: ingest's among the posts on posts.raw, anyone else's on the clock topic. */
    private final List<String> heard;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, Heartbeat> producer;
    private final Counter written;
    private final AtomicBoolean silent = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The topics it last found missing, so that it says so once while they are. */
    private List<String> waitingFor = List.of();
    private Instant lastHeard;
    private Instant lastWritten;

    private HeartbeatClock(OpinionWatchConfig config, MeterRegistry registry, Clock wall) {
        this.settings = config.escalation().clock();
        this.topic = config.topicNames().clock();
        this.wall = wall;
        this.heard = List.of(config.topicNames().postsRaw().name(), topic.name());
        this.consumer = new KafkaConsumer<>(KafkaClients.settings(config.kafka(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG, "opinion-watch-escalation-clock")),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(KafkaClients.settings(config.kafka(), Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.CLIENT_ID_CONFIG, "opinion-watch-escalation-clock")),
                new StringSerializer(), topic.valueSerde().serializer());
        Gauge.builder("escalation.clock.ingest.silent", silent, s -> s.get() ? 1 : 0)
                .description("1 while no heartbeat of ingest has come for escalation.clock.silentAfter and the stage keeps time itself")
                .register(registry);
        this.written = Counter.builder("escalation.clock.heartbeats").description("Heartbeats the stage wrote itself while ingest was silent")
                .register(registry);
        this.thread = new Thread(this::run, "escalation-clock");
        this.thread.setDaemon(true);
    }

    /** Starts watching the clock topic from its end; {@code wall} is the wall clock (a test's own). */
    public static HeartbeatClock start(OpinionWatchConfig config, MeterRegistry registry, Clock wall) {
        HeartbeatClock clock = new HeartbeatClock(config, registry, wall);
        clock.thread.start();
        return clock;
    }

    /** Whether ingest is silent now: the stage is keeping time itself. */
    public boolean silent() {
        return silent.get();
    }

    private void run() {
        boolean assigned = false;
        try {
            while (running) {
                try {
                    assigned = assigned || assign();
                    if (!assigned) {
                        pause();
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(settings.every())) {
                        Heartbeat h = heartbeat(r);
                        if (h != null && !SOURCE.equals(h.source())) {
                            lastHeard = wall.instant();
                            if (silent.compareAndSet(true, false)) {
                                LOG.info("Heartbeats of {} come again on {}: the stage stops keeping time itself", h.source(), r.topic());
                            }
                        }
                    }
                    tick();
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    // The broker away, a topic deleted: the stage outlives it, and so must its clock, or deadlines stop
                    // coming the next time ingest is silent.
                    LOG.warn("The escalation's clock failed ({}); it tries again in {}", e.toString(), settings.every());
                    assigned = false;
                    pause();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Reads the topics heard from their end; false while one of them has no partitions (not created yet: a stage may
     * start before {@code topics} has run). The silence counts from the first time they are read.
     */
    private boolean assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String t : heard) {
            List<PartitionInfo> of = consumer.partitionsFor(t);
            if (of.isEmpty()) {
                missing.add(t);
            }
            of.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        if (!missing.isEmpty()) {
            if (!waitingFor.equals(missing)) {
                LOG.warn("The escalation's clock waits for {} to be created", missing);
                waitingFor = missing;
            }
            return false;
        }
        waitingFor = List.of(); // found: a topic deleted later is reported again
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        if (lastHeard == null) {
            lastHeard = wall.instant();
        }
        return true;
    }

    /** Waits {@code every}, or until the clock closes. */
    private void pause() {
        try {
            closed.await(settings.every().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The record's heartbeat, or null for a post (posts have a key, heartbeats none) or a record that is no heartbeat. */
    private static Heartbeat heartbeat(ConsumerRecord<String, byte[]> r) {
        if (r.key() != null || r.value() == null) {
            return null;
        }
        try {
            return Topics.HEARTBEAT.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return null; // the classifier sends it to its dead-letter topic
        }
    }

    /** A heartbeat of now to every partition, when ingest has been silent too long and the last one is {@code every} old. */
    private void tick() {
        Instant now = wall.instant();
        if (Duration.between(lastHeard, now).compareTo(settings.silentAfter()) < 0
                || lastWritten != null && Duration.between(lastWritten, now).compareTo(settings.every()) < 0) {
            return;
        }
        if (silent.compareAndSet(false, true)) {
            LOG.warn("No heartbeat on {} for {}: ingest is silent; the escalation stage keeps time itself", topic.name(), settings.silentAfter());
        }
        for (PartitionInfo p : producer.partitionsFor(topic.name())) {
            producer.send(new ProducerRecord<>(topic.name(), p.partition(), now.toEpochMilli(), null, new Heartbeat(now, SOURCE)));
        }
        producer.flush();
        lastWritten = now;
        written.increment();
    }

    @Override
    public void close() {
        running = false;
        closed.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
