package org.opinionwatch.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.notifier.channel.Channel;
import org.opinionwatch.notifier.channel.Sender;
import org.opinionwatch.notifier.render.Frame;
import org.opinionwatch.notifier.render.Links;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.route.Audience;
import org.opinionwatch.notifier.route.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's consumer loop. One thread polls {@code notifications}, routes each ({@link Routing}: the channels of
 * its role or department, whoever is on duty) and hands it to the lane of each of its channels: one thread per
 * channel that delivers that channel's messages one at a time, in the order read, retrying until each is delivered
 * or refused. A channel that is down holds up only its own lane; the others go on.
 *
 * <p>Offsets are committed by hand (auto commit is off): for each partition, that of the first notification not yet
 * finished, where finished means delivered, refused or skipped on every channel it went to, and each delivery record
 * written. A restart, or the
 * partition moving to another instance, so starts at the first unfinished notification; notifications after it that
 * were finished already are delivered again (at least once: receivers drop duplicates by id). A partition with
 * {@code maxPending} unfinished notifications is paused until half of them are done, which bounds memory while a
 * webhook is down.
 */
public final class DeliveryLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    /** Short, so that finished notifications are committed soon after they finish. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** The lane of notifications that go nowhere: unreadable ones, and those of roles without a channel. */
    private static final String UNROUTED = "unrouted";

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Map<String, Channel> channels;
    private final Routing routing;
    private final Links links;
    private final Frame frame;
    private final Sender sender;
    private final DeliveryRecorder recorder;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final int maxPending;
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    // The poll thread's alone:
    private final Map<String, ExecutorService> lanes = new HashMap<>();
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile boolean stopping;
    private volatile Throwable failure;

    /** A notification finished by a lane, for the poll thread to take into account. */
    private record Finished(PartitionProgress partition, long offset) {
    }

    public DeliveryLoop(Consumer<String, byte[]> consumer, String topic, Map<String, Channel> channels, Routing routing, Links links,
                        Frame frame, Sender sender, DeliveryRecorder recorder, DeliveryMetrics metrics, Clock clock, int maxPending) {
        this.consumer = consumer;
        this.topic = topic;
        this.channels = Map.copyOf(channels);
        this.routing = routing;
        this.links = links;
        this.frame = frame;
        this.sender = sender;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    /** Polls until {@link #stop}; then stops the lanes, commits what they finished and closes the consumer. */
    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    dispatch(record);
                }
                takeFinished();
                pauseOrResume();
                commit(false, partitions.keySet());
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The notifier stops: {}", e.toString(), e);
        } finally {
            closeLanes();
            takeFinished();
            commitLast();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** Asks the loop to end; safe from any thread. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** What ended the loop other than {@link #stop}, if anything did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partition = partitions.computeIfAbsent(tp, p -> new PartitionProgress());
        long offset = record.offset();
        partition.started(offset);
        long readAt = System.nanoTime();
        String location = tp + "@" + offset;
        Notification notification;
        try {
            notification = Topics.NOTIFICATION.deserialize(record.topic(), record.value());
            if (notification == null || notification.id() == null || notification.role() == null) {
                throw new SerializationException(notification == null ? "no value" : "no id or no role");
            }
        } catch (SerializationException e) {
            LOG.warn("Unreadable notification at {}: {}", location, e.getMessage());
            Delivery refused = new Delivery(null, record.key(), null, null, Delivery.Outcome.REFUSED, 0, null,
                    "unreadable notification: " + e.getMessage(), location, null, clock.instant(), null, null, List.of());
            Runnable done = () -> finished.add(new Finished(partition, offset));
            lane(UNROUTED).execute(() -> work(partition, location, record.key(), readAt, () -> Optional.of(refused), done));
            return;
        }
        Role role = notification.role();
        Optional<Audience> routed = routing.route(notification);
        if (routed.isEmpty()) {
            Delivery skipped = new Delivery(notification.id(), incidentOf(notification, record.key()), role, null, Delivery.Outcome.SKIPPED, 0,
                    null, "skipped: no channel for role " + role, location, null, clock.instant(), null, null, List.of());
            Runnable done = () -> finished.add(new Finished(partition, offset));
            lane(UNROUTED).execute(() -> work(partition, location, record.key(), readAt, () -> Optional.of(skipped), done));
            return;
        }
        Audience audience = routed.get();
        Message message = links.message(notification, record.value(), audience, frame);
        // Finished once every channel has its outcome recorded.
        AtomicInteger left = new AtomicInteger(audience.channels().size());
        Runnable done = () -> {
            if (left.decrementAndGet() == 0) {
                finished.add(new Finished(partition, offset));
            }
        };
        for (String name : audience.channels()) {
            Channel channel = channels.get(name);
            lane(name).execute(() -> work(partition, location, record.key(), readAt,
                    () -> deliver(message, channel, record.key(), partition, location), done));
        }
    }

    /** The notification's incident; for a digest or the daily report, which list several, the record's key. */
    private static String incidentOf(Notification n, String key) {
        return n.incidentId() != null ? n.incidentId() : key;
    }

    /** Sends until the channel takes or refuses the message; empty when its partition went elsewhere first. */
    private Optional<Delivery> deliver(Message m, Channel channel, String key, PartitionProgress partition, String location)
            throws InterruptedException {
        Notification n = m.notification();
        Audience a = m.audience();
        String fellBack = a.fellBack() ? "nobody on duty in " + String.join(", ", a.passedOver()) + ": sent to " + a.name() : null;
        String unreachable = channel.unreachable(m);
        if (unreachable != null) {
            return Optional.of(new Delivery(n.id(), incidentOf(n, key), n.role(), channel.shown(), Delivery.Outcome.SKIPPED, 0, null,
                    "skipped: " + unreachable, location, null, clock.instant(), channel.name(), a.id(), a.people()));
        }
        return sender.deliver(channel, m, partition.revoked(), attempt -> metrics.attempted(n.role(), attempt)).map(r -> {
            if (!r.delivered()) {
                LOG.warn("Notification {} refused by {}: {}", n.id(), channel, r.reason());
            }
            String reason = fellBack == null ? r.reason() : r.reason() == null ? fellBack : fellBack + "; " + r.reason();
            return new Delivery(n.id(), incidentOf(n, key), n.role(), channel.shown(),
                    r.delivered() ? Delivery.Outcome.DELIVERED : Delivery.Outcome.REFUSED, r.attempts(), r.lastStatus(), reason,
                    location, r.firstAttemptAt(), r.finishedAt(), channel.name(), a.id(), a.people());
        });
    }

    /** What decides a notification's outcome: empty when its partition went elsewhere before it was decided. */
    private interface Decision {
        Optional<Delivery> decide() throws InterruptedException;
    }

    /** In a lane: decides the outcome, records it, and tells the poll thread through {@code done} that it is finished. */
    private void work(PartitionProgress partition, String location, String key, long readAt, Decision decision, Runnable done) {
        if (partition.isRevoked()) {
            return; // its new owner delivers it
        }
        try {
            Optional<Delivery> delivery = decision.decide();
            if (delivery.isPresent()) {
                recorder.record(key, delivery.get());
                metrics.finished(delivery.get(), Duration.ofNanos(System.nanoTime() - readAt));
                done.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the notifier closes: the next run delivers it
        } catch (RuntimeException | Error e) {
            // Not a channel's failure (those are retried) but a bug or a fatal Kafka error: stop rather than leave the
            // partition stuck at this notification without a word.
            failure = e;
            LOG.error("The notifier stops: finishing the notification at {} failed: {}", location, e.toString(), e);
            stop();
        }
    }

    private ExecutorService lane(String name) {
        return lanes.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "opinionwatch-notifier-" + n);
            thread.setDaemon(true);
            return thread;
        }));
    }

    private void takeFinished() {
        for (Finished f = finished.poll(); f != null; f = finished.poll()) {
            f.partition().finished(f.offset());
        }
        metrics.pending(partitions.values().stream().mapToInt(PartitionProgress::pending).sum());
    }

    private void pauseOrResume() {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        partitions.forEach((tp, partition) -> {
            if (!paused.contains(tp) && partition.pending() >= maxPending) {
                pause.add(tp);
            } else if (paused.contains(tp) && partition.pending() <= maxPending / 2) {
                resume.add(tp);
            }
        });
        if (!pause.isEmpty()) {
            LOG.info("Paused {}: {} notifications or more not yet finished", pause, maxPending);
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** Commits the partitions whose committable offset moved; a failed asynchronous commit is retried next time. */
    private void commit(boolean sync, Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : which) {
            Long offset = partitions.get(tp).committable();
            if (offset != null && !offset.equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            return;
        }
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        // The callback runs on this thread, in a later poll or commit.
        consumer.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                LOG.debug("Commit of {} failed, retried with the next: {}", done, e.toString());
                offsets.forEach((tp, o) -> committed.remove(tp, o.offset()));
            }
        });
    }

    private void commitLast() {
        for (int tries = 1; tries <= 2; tries++) {
            try {
                commit(true, partitions.keySet());
                return;
            } catch (WakeupException e) {
                // The wakeup of stop() fires once, in whichever call comes first: this one, if the loop had not polled.
            } catch (KafkaException e) {
                LOG.warn("Last commit failed, notifications finished since the previous one will be delivered again: {}", e.toString());
                return;
            }
        }
    }

    private void closeLanes() {
        lanes.values().forEach(ExecutorService::shutdownNow);
        partitions.values().forEach(PartitionProgress::revoke);
        for (ExecutorService lane : lanes.values()) {
            try {
                if (!lane.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("A delivery lane did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Before a partition goes elsewhere: commit what was finished of it, and abandon the rest to its new owner. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            takeFinished();
            List<TopicPartition> ours = revoked.stream().filter(partitions::containsKey).toList();
            try {
                commit(true, ours);
            } catch (KafkaException e) {
                LOG.warn("Commit on revocation failed, its finished notifications will be delivered again: {}", e.toString());
            }
            forget(ours);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(tp -> partitions.putIfAbsent(tp, new PartitionProgress()));
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                PartitionProgress partition = partitions.remove(tp);
                if (partition != null) {
                    partition.revoke();
                }
                committed.remove(tp);
            }
        }
    }
}
