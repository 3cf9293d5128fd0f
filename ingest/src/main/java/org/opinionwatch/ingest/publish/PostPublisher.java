package org.opinionwatch.ingest.publish;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.IncidentPartitions;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes posts to {@code posts.raw}, rejected input to {@code posts.dlq} and heartbeats to every partition of
 * {@code posts.raw}, with
 * keys and values written by the contract's serdes of each topic.
 *
 * <p>Records are taken into a bounded buffer ({@code ingest.delivery.maxBufferedBytes}) and sent by a thread of the
 * publisher's own, so no caller waits on the broker, and each stays there until the broker acknowledges it. A post
 * out of {@linkplain PostBounds bounds} never reaches the broker: it becomes a dead letter, and so does one that the
 * broker refuses for good (its time, its size). Any other failure (the broker away for longer than the delivery
 * timeout, the producer in a fatal state) replaces the producer, and everything not yet acknowledged is sent again,
 * in the order it was taken. A snapshot sent twice counts once downstream: it is keyed by its post id and its counts
 * are cumulative.
 *
 * <p>What the buffer holds is in memory only: it is lost if the process ends before the broker has it.
 */
public final class PostPublisher implements PostSink, MeterBinder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostPublisher.class);
    /**
     * How long the sending thread may wait in the producer, for a topic's metadata: only it sends, so no caller waits
     * on this, but while it waits it neither sends nor notices a close; 5 s is a metadata round trip to a loaded
     * broker many times over.
     */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(5);
    /** The wait before a replaced producer's first send, doubled at each failure in a row, up to the maximum. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** What a refused caller is told to wait, at most: as long as the broker has been silent, from 1 s up to this. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /** What the publisher is doing, as the {@code ingest.publisher.state} gauge says it. */
    public enum State {
        /** The broker acknowledges records. */
        DELIVERING,
        /** A send failed: the producer was replaced, and what was not acknowledged is being sent again. */
        RETRYING,
        CLOSED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private enum Kind { POST, DEAD_LETTER, HEARTBEAT }

    /** A record's partition is yet to be chosen (posts: by incident; heartbeats: every one). */
    private static final int UNKNOWN = -1;
    /** The producer chooses by the key, and always the same for the same key (dead letters: by source). */
    private static final int BY_KEY = -2;

    /** One record, serialized when taken; its partition is chosen by the sending thread, which knows the topic's. */
    private static final class Outgoing {
        final Kind kind;
        final String topic;
        final Object payload;
        final long timestamp;
        final byte[] key;
        final byte[] value;
        final Headers headers;
        /** {@link #UNKNOWN} until chosen, then kept so that a record sent again goes where it went; or {@link #BY_KEY}. */
        int partition;

        Outgoing(Kind kind, String topic, Object payload, long timestamp, byte[] key, byte[] value, Headers headers, int partition) {
            this.kind = kind;
            this.topic = topic;
            this.payload = payload;
            this.timestamp = timestamp;
            this.key = key;
            this.value = value;
            this.headers = headers;
            this.partition = partition;
        }

        long size() {
            return (key == null ? 0 : key.length) + value.length;
        }
    }

    private final Topics topics;
    private final PostBounds bounds;
    private final long maxBufferedBytes;
    /** Records in the producer at once: half its buffer.memory, so a send never waits for memory there. */
    private final long maxHandedBytes;
    private final Duration deliveryTimeout;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong replacements = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever records are taken, acknowledged, refused or sent again, and on closing. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** Given to the current producer and not yet acknowledged, in the order they were taken (identity: a class). */
    private final Set<Outgoing> handed = new LinkedHashSet<>();
    private long bufferedBytes;
    private long handedBytes;
    private long bufferedPosts;
    private boolean failed;
    private Exception lastFailure;
    private long progressNanos = System.nanoTime();
    private State state = State.DELIVERING;
    private boolean closing;
    private boolean stopped;
    /** Records the broker refused for good that no dead letter can stand for, to throw from the next flush. */
    private final List<String> refusals = new ArrayList<>();
    private MeterRegistry registry;
    private KafkaClientMetrics clientMetrics;

    private Duration backoff = FIRST_BACKOFF;
    /** Created, used and closed by the sending thread only; read elsewhere to bind its meters. */
    private volatile Producer<byte[], byte[]> producer;

    /**
     * @param producerBase producer settings, at least {@code bootstrap.servers}
     * @param bounds what a post must keep to be sent; live or archive bounds
     */
    public PostPublisher(Topics topics, Properties producerBase, PostBounds bounds, OpinionWatchConfig.Delivery delivery) {
        this(topics, bounds, delivery, producerConfig(producerBase, delivery.timeout()));
    }

    private PostPublisher(Topics topics, PostBounds bounds, OpinionWatchConfig.Delivery delivery, Properties config) {
        this(topics, bounds, delivery, bufferMemory(config) / 2,
                () -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** For tests with Kafka's {@code MockProducer}: each replacement takes the next producer of {@code producers}. */
    PostPublisher(Topics topics, PostBounds bounds, OpinionWatchConfig.Delivery delivery, long maxHandedBytes,
                  Supplier<Producer<byte[], byte[]>> producers) {
        this.topics = topics;
        this.bounds = bounds;
        this.maxBufferedBytes = delivery.maxBufferedBytes();
        this.maxHandedBytes = maxHandedBytes;
        this.deliveryTimeout = delivery.timeout();
        this.producers = producers;
        this.sender = new Thread(this::send, "ingest-publisher");
        this.sender.setDaemon(true); // a forgotten close must not keep the JVM alive
        this.sender.start();
    }

    /**
     * The settings that make publishing safe are forced: idempotence with acks from all in-sync replicas, so that a
     * retry never duplicates nor reorders the snapshots of a post; the delivery timeout of the config, and a request
     * timeout that fits in it; a short {@code max.block.ms}. Throughput settings are defaults that
     * {@code producerBase} may override.
     */
    static Properties producerConfig(Properties producerBase, Duration deliveryTimeout) {
        Properties config = new Properties();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "opinion-watch-ingest");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "10");                     // replays send bursts: batch them
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024)); // snapshots are ~1 KiB
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");              // snapshots of a post repeat its text
        config.putAll(producerBase);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK.toMillis()));
        long delivery = deliveryTimeout.toMillis();
        long linger = Long.parseLong(config.getProperty(ProducerConfig.LINGER_MS_CONFIG));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
        // The producer insists that linger and one request fit in the delivery timeout; 30 s is its default.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1, Math.min(30_000, delivery - linger))));
        return config;
    }

    private static long bufferMemory(Properties config) {
        String memory = config.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG);
        return memory == null ? 32L * 1024 * 1024 : Long.parseLong(memory); // the producer's default
    }

    /**
     * Takes one snapshot for {@code posts.raw}, waiting while the buffer is full: keyed by post id, to its incident's
     * partition ({@link IncidentPartitions}), with its event time ({@code observedAt}) as record time and the
     * wall-clock time of intake in the {@link Post#INTAKE_HEADER} header. A post out of bounds becomes a dead letter.
     *
     * @throws KafkaException if the broker has taken nothing for the delivery timeout while this waited
     */
    @Override
    public void publish(Post post) {
        take(List.of(checked(post)), true);
    }

    /** Takes rejected input for {@code posts.dlq}, waiting while the buffer is full; sent at the wall-clock time. */
    @Override
    public void reject(DeadLetter deadLetter) {
        take(List.of(deadLetter(deadLetter)), true);
    }

    /** Takes every post of the batch or none, without waiting ({@link #publish} says how each is sent). */
    @Override
    public void offer(List<Post> posts) throws Unavailable {
        List<Outgoing> records = posts.stream().map(this::checked).toList();
        lock.lock();
        try {
            if (closing) {
                throw new Unavailable("ingest is stopping", Duration.ofSeconds(1));
            }
            if (!fits(sizeOf(records))) {
                throw new Unavailable("ingest's buffer is full: " + bufferedPosts + " posts wait for the broker"
                        + (state == State.RETRYING ? ", which is unreachable" : ""), retryAfter());
            }
            append(records);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean tryReject(DeadLetter deadLetter) {
        return take(List.of(deadLetter(deadLetter)), false);
    }

    /**
     * Takes a heartbeat for every partition of posts.raw, if there is room: each partition's goes behind the posts
     * taken before it, so that the classifier, which reads it in the partition's order, knows that nothing older is
     * still to come there; and stream time moves per partition, so one heartbeat on one partition would leave the
     * others waiting. Without room it is skipped; the next carries a later time.
     */
    public void heartbeat(Instant time, String source) {
        String name = topics.postsRaw().name();
        Heartbeat heartbeat = new Heartbeat(time, source);
        if (!take(List.of(new Outgoing(Kind.HEARTBEAT, name, heartbeat, time.toEpochMilli(), null,
                Topics.HEARTBEAT.serialize(name, heartbeat), null, UNKNOWN)), false)) {
            LOG.debug("heartbeat at {} skipped: the buffer is full", time);
        }
    }

    /** The publisher's meters (buffer, state, producer replacements) and the producer's own, whichever is current. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ingest.buffer.posts", this, p -> p.locked(() -> p.bufferedPosts))
                .description("Posts taken and not yet acknowledged by the broker").register(registry);
        Gauge.builder("ingest.buffer.bytes", this, p -> p.locked(() -> p.bufferedBytes)).baseUnit("bytes")
                .description("Records taken and not yet acknowledged by the broker, as sent").register(registry);
        Gauge.builder("ingest.buffer.limit", this, p -> p.maxBufferedBytes).baseUnit("bytes")
                .description("What the buffer holds at most (ingest.delivery.maxBufferedBytes)").register(registry);
        for (State s : State.values()) {
            Gauge.builder("ingest.publisher.state", this, p -> p.state() == s ? 1 : 0).tag("state", s.tag())
                    .description("1 for what the publisher is doing").register(registry);
        }
        FunctionCounter.builder("ingest.publisher.replacements", replacements, AtomicLong::get)
                .description("Producers replaced after a failed send").register(registry);
        lock.lock();
        try {
            this.registry = registry;
            if (producer != null) {
                bindClientMetrics(producer);
            }
        } finally {
            lock.unlock();
        }
    }

    public State state() {
        return locked(() -> state);
    }

    /** Posts acknowledged by the broker so far. */
    public long published() {
        return published.get();
    }

    /** Dead letters acknowledged by the broker so far. */
    public long rejected() {
        return rejected.get();
    }

    /**
     * Waits until the broker has acknowledged everything taken so far (or it became a dead letter).
     *
     * @throws KafkaException if the broker refused a record that no dead letter can stand for (a heartbeat, a dead
     *     letter), or took nothing for the delivery timeout while this waited
     */
    public void flush() {
        lock.lock();
        try {
            long since = System.nanoTime();
            while (!waiting.isEmpty() || !handed.isEmpty()) {
                awaitProgress(since, "to deliver");
            }
            if (!refusals.isEmpty()) {
                String refused = String.join("; ", refusals);
                refusals.clear();
                throw new KafkaException(refused);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes nothing more, waits until what was taken is delivered ({@link #flush}), and closes. If the broker takes
     * nothing for the delivery timeout, what is left is lost: logged, and thrown.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flush();
        } finally {
            stop();
        }
    }

    private void stop() {
        long lost;
        long lostPosts;
        lock.lock();
        try {
            stopped = true;
            state = State.CLOSED;
            lost = waiting.size() + handed.size();
            lostPosts = bufferedPosts;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lost > 0) {
            LOG.error("closed with {} records not delivered, {} of them posts: the broker did not take them", lost, lostPosts);
        }
    }

    // ---- taking records ----

    private Outgoing checked(Post post) {
        List<Limits.Violation> violations = bounds.check(post);
        if (!violations.isEmpty()) {
            return deadLetter(DeadLetter.of(Limits.truncate(post.source(), Limits.SOURCE_CHARS),
                    topics.postsRaw().name() + ", post " + Limits.truncate(post.id(), Limits.ID_CHARS),
                    PostBounds.reason(violations), json(post), Instant.now()));
        }
        String name = topics.postsRaw().name();
        Headers headers = new RecordHeaders().add(Post.INTAKE_HEADER,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
        return new Outgoing(Kind.POST, name, post, post.observedAt().toEpochMilli(),
                topics.postsRaw().keySerde().serializer().serialize(name, post.id()),
                topics.postsRaw().valueSerde().serializer().serialize(name, post), headers, UNKNOWN);
    }

    private Outgoing deadLetter(DeadLetter deadLetter) {
        Topic<String, DeadLetter> topic = topics.postsDlq();
        String name = topic.name();
        return new Outgoing(Kind.DEAD_LETTER, name, deadLetter, System.currentTimeMillis(),
                topic.keySerde().serializer().serialize(name, deadLetter.source()),
                topic.valueSerde().serializer().serialize(name, deadLetter), null, BY_KEY);
    }

    private String json(Post post) {
        return new String(topics.postsRaw().valueSerde().serializer().serialize(topics.postsRaw().name(), post), StandardCharsets.UTF_8);
    }

    /** Takes all of {@code records} or, not waiting and without room, none; false then. */
    private boolean take(List<Outgoing> records, boolean wait) {
        long size = sizeOf(records);
        lock.lock();
        try {
            long since = System.nanoTime();
            while (!closing && !fits(size)) {
                if (!wait) {
                    return false;
                }
                awaitProgress(since, "for room in the buffer");
            }
            if (closing) {
                throw new IllegalStateException("the publisher is closed");
            }
            append(records);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code size} more bytes fit; anything fits in an empty buffer, so no one record is refused forever. */
    private boolean fits(long size) {
        return bufferedBytes == 0 || bufferedBytes + size <= maxBufferedBytes;
    }

    private void append(List<Outgoing> records) {
        if (bufferedBytes == 0) {
            progressNanos = System.nanoTime(); // nothing was owed until now: the broker is not late with anything
        }
        for (Outgoing record : records) {
            waiting.addLast(record);
            bufferedBytes += record.size();
            if (record.kind == Kind.POST) {
                bufferedPosts++;
            }
        }
        changed.signalAll();
    }

    private static long sizeOf(List<Outgoing> records) {
        return records.stream().mapToLong(Outgoing::size).sum();
    }

    /**
     * Waits for a change; gives up if the broker has acknowledged nothing for the delivery timeout since
     * {@code since} (the caller began to wait) or since it last did, whichever is later.
     */
    private void awaitProgress(long since, String what) {
        long deadline = Math.max(since, progressNanos) + deliveryTimeout.toNanos();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new KafkaException("waited " + deliveryTimeout + " " + what + ", and the broker took nothing: "
                    + (waiting.size() + handed.size()) + " records waiting"
                    + (lastFailure == null ? "" : "; the last failure: " + lastFailure.getMessage()));
        }
        try {
            changed.awaitNanos(left);
        } catch (InterruptedException e) {
            throw new InterruptException(e); // unchecked, and sets the interrupt flag again
        }
    }

    private Duration retryAfter() {
        long silent = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - progressNanos);
        return Duration.ofSeconds(Math.max(1, Math.min(MAX_RETRY_AFTER.toSeconds(), silent)));
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- the sending thread ----

    private void send() {
        while (true) {
            Outgoing next = null;
            lock.lock();
            try {
                while (!stopped && !failed && (waiting.isEmpty() || handedBytes >= maxHandedBytes)) {
                    changed.awaitUninterruptibly();
                }
                if (stopped) {
                    break;
                }
                if (!failed) {
                    // Left at the head until handed to the producer: a flush must never find it in neither place.
                    next = waiting.peekFirst();
                }
            } finally {
                lock.unlock();
            }
            if (next == null) {
                replaceProducer();
            } else {
                send(next);
            }
        }
        closeProducer();
    }

    private void send(Outgoing next) {
        try {
            if (producer == null) {
                producer = producers.get();
                lock.lock();
                try {
                    bindClientMetrics(producer);
                } finally {
                    lock.unlock();
                }
            }
            if (next.partition == UNKNOWN) {
                int partitions = producer.partitionsFor(next.topic).size(); // cached by the producer after the first
                if (next.kind == Kind.HEARTBEAT) {
                    toEveryPartition(next, partitions);
                    return;
                }
                next.partition = IncidentPartitions.of(((Post) next.payload).rootId(), partitions);
            }
            lock.lock();
            try {
                waiting.removeFirst(); // next: only this thread takes from the head or puts back there
                handed.add(next);
                handedBytes += next.size();
            } finally {
                lock.unlock();
            }
            producer.send(new ProducerRecord<>(next.topic, next.partition == BY_KEY ? null : next.partition, next.timestamp,
                            next.key, next.value, next.headers),
                    (metadata, exception) -> completed(next, exception));
        } catch (RuntimeException e) { // no metadata within max.block.ms, a producer closed or in a fatal state
            lock.lock();
            try {
                failed(next, e); // it is still at the head of the queue, or handed and sent again with the rest
            } finally {
                lock.unlock();
            }
        }
    }

    /** A heartbeat becomes one per partition, in its place at the head of the queue. */
    private void toEveryPartition(Outgoing heartbeat, int partitions) {
        lock.lock();
        try {
            waiting.removeFirst(); // the heartbeat
            bufferedBytes -= heartbeat.size();
            for (int p = partitions - 1; p >= 0; p--) {
                Outgoing one = new Outgoing(Kind.HEARTBEAT, heartbeat.topic, heartbeat.payload, heartbeat.timestamp, null,
                        heartbeat.value, null, p);
                waiting.addFirst(one);
                bufferedBytes += one.size();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The producer's callback. */
    private void completed(Outgoing record, Exception exception) {
        lock.lock();
        try {
            if (!handed.contains(record)) {
                return; // its producer was replaced: it waits to be sent again
            }
            if (exception != null && !refusedForGood(exception)) {
                failed(record, exception); // it stays handed, to be sent again by the next producer
                return;
            }
            handed.remove(record);
            handedBytes -= record.size();
            bufferedBytes -= record.size();
            if (record.kind == Kind.POST) {
                bufferedPosts--;
            }
            progressNanos = System.nanoTime();
            if (exception == null) {
                if (record.kind == Kind.POST) {
                    published.incrementAndGet();
                } else if (record.kind == Kind.DEAD_LETTER) {
                    rejected.incrementAndGet();
                }
                if (state == State.RETRYING) {
                    LOG.warn("the broker takes records again; {} more waiting", waiting.size() + handed.size());
                    state = State.DELIVERING;
                }
                backoff = FIRST_BACKOFF;
            } else {
                refused(record, exception);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The broker refuses the record itself, and would again: sending it again cannot help. */
    private static boolean refusedForGood(Exception e) {
        return e instanceof InvalidTimestampException || e instanceof RecordTooLargeException || e instanceof InvalidRecordException;
    }

    private void refused(Outgoing record, Exception exception) {
        String reason = "the broker refused it: " + exception.getMessage();
        if (record.kind == Kind.POST) {
            Post post = (Post) record.payload;
            LOG.warn("post {} of {} refused by the broker, sent to {}: {}", post.id(), post.source(), topics.postsDlq().name(), exception.getMessage());
            // In the post's place, whatever the buffer holds: it was taken already.
            append(List.of(deadLetter(DeadLetter.of(post.source(), record.topic + ", post " + post.id(), reason, json(post), Instant.now()))));
        } else {
            String refusal = "sending to topic " + record.topic + " failed: " + exception.getMessage();
            LOG.error("{} ({})", refusal, record.payload);
            refusals.add(refusal);
        }
    }

    private void failed(Outgoing record, Exception exception) {
        if (state != State.RETRYING) {
            LOG.warn("sending to topic {} failed, so the producer is replaced and what it had is sent again until the "
                    + "broker takes it; {} records waiting: {}", record.topic, waiting.size() + handed.size(), exception.toString());
        }
        failed = true;
        lastFailure = exception;
        state = State.RETRYING;
        changed.signalAll();
    }

    /**
     * Closes the failed producer, which ends its sends, then puts everything it had not acknowledged back at the head
     * of the queue in the order it was taken, waits a backoff, and lets the next send create a producer.
     */
    private void replaceProducer() {
        closeProducer();
        lock.lock();
        try {
            List<Outgoing> again = new ArrayList<>(handed);
            handed.clear();
            handedBytes = 0;
            for (int i = again.size() - 1; i >= 0; i--) {
                waiting.addFirst(again.get(i));
            }
            failed = false;
            replacements.incrementAndGet();
            long until = System.nanoTime() + backoff.toNanos();
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            while (!stopped && System.nanoTime() < until) {
                changed.awaitNanos(until - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Outside the lock: closing runs the callbacks of what the producer still had, and they take it. */
    private void closeProducer() {
        if (producer == null) {
            return;
        }
        try {
            producer.close(Duration.ZERO); // what it still had fails at once; it is sent again or already delivered
        } catch (RuntimeException e) {
            LOG.debug("closing a failed producer", e);
        }
        producer = null;
        lock.lock();
        try {
            if (clientMetrics != null) {
                clientMetrics.close();
                clientMetrics = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void bindClientMetrics(Producer<byte[], byte[]> current) {
        if (registry != null && clientMetrics == null) {
            clientMetrics = new KafkaClientMetrics(current);
            clientMetrics.bindTo(registry);
        }
    }
}
