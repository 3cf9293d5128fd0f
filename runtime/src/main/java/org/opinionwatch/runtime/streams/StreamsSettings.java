package org.opinionwatch.runtime.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What both Kafka Streams stages (classifier, escalation) share: their common settings and how they start. */
public final class StreamsSettings {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsSettings.class);

    private StreamsSettings() {
    }

    public static Properties base(OpinionWatchConfig config, String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.putAll(KafkaClients.settings(config.kafka()));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.streams().commitInterval().toMillis());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        // Each commit sends a burst to every changelog, repartition and output partition: fewer, larger, compressed
        // requests reach the broker sooner than the producer's small uncompressed default batches (its commit has the figures).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Catching up, the stream thread waited in poll for up to poll.ms while its partitions' buffers were full;
        // a short wait costs only idle wake-ups and lets a stage catch up faster (its commit has the figures).
        p.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        // Kafka Streams keeps <stateDir>/<application.id>, where a restarted stage finds its stores as it left them.
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.streams().stateDir());
        return p;
    }

    /** A Streams stage's readiness: ready while its client is RUNNING. */
    public static Health health(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        return new Health(state == KafkaStreams.State.RUNNING, state.name());
    }

    /**
     * Starts a stage: its topology with its settings, {@code overrides} (may be null) on top; the caller closes it.
     *
     * <p>A stream thread that dies of an exception the handlers do not take ({@link DeadLetterHandler}: Kafka's own
     * failures, a store that cannot be opened) shuts the whole client down (ERROR) rather than being replaced: what
     * killed it would kill its replacement on the same record and state, in a loop that keeps the process up and its
     * metrics served while nothing moves. In ERROR the stage command exits non-zero, and its supervisor restarts it
     * (with back-off) or a person sees it; the other instances of the stage take its tasks over meanwhile. The one
     * exception is a transaction the broker failed ({@link CommitFailures}).
     *
     * @throws IllegalStateException when another instance of the stage on this host holds the state directory
     */
    public static KafkaStreams start(Topology topology, Properties settings, Properties overrides) {
        Properties p = new Properties();
        p.putAll(settings);
        if (overrides != null) {
            p.putAll(overrides);
        }
        String application = p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        KafkaStreams streams;
        try {
            streams = new KafkaStreams(topology, p);
        } catch (StreamsException e) {
            // Kafka Streams tells a directory locked by another process apart from other failures only in its message.
            if (e.getMessage() != null && e.getMessage().contains("multiple instances")) {
                Path dir = Path.of(String.valueOf(p.get(StreamsConfig.STATE_DIR_CONFIG)), application);
                throw new IllegalStateException("another instance of " + application + " on this host uses the state directory "
                        + dir + ": give each instance a streams.stateDir of its own (OW_STREAMS_STATE_DIR)", e);
            }
            throw e;
        }
        CommitFailures commitFailures = new CommitFailures(Instant::now);
        streams.setUncaughtExceptionHandler(e -> {
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = commitFailures.response(e);
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("{}: the broker failed a stream thread's transaction; a new thread resumes from the last commit: {}",
                        application, DeadLetters.describe(e));
            } else if (CommitFailures.failedTransaction(e)) {
                LOG.error("{}: the broker failed a stream thread's transaction again, after {} new threads within {} minutes; "
                        + "the Kafka Streams client shuts down: {}", application, CommitFailures.REPLACEMENTS,
                        CommitFailures.WINDOW.toMinutes(), DeadLetters.describe(e), e);
            } else {
                LOG.error("{}: a stream thread failed, the Kafka Streams client shuts down: {}", application, DeadLetters.describe(e), e);
            }
            return response;
        });
        streams.start();
        return streams;
    }

    /**
     * How a stage answers a stream thread's death: the client shuts down, unless the broker failed the thread's
     * transaction. A broker back from an outage may answer the commit with INVALID_TXN_STATE (it had aborted the
     * transaction after its timeout) or, while its coordinator recovers, with UNKNOWN_SERVER_ERROR; Kafka Streams 4.4
     * takes both for fatal. Under exactly_once_v2 a new thread, whose new producer completes or aborts what was open,
     * resumes from the offsets of the last complete transaction, as Kafka Streams does itself for a fenced producer
     * (KillTest kills the broker inside a transaction). Authorization failures are not the broker recovering and shut
     * the client down; so does a fourth failed commit within ten minutes, a broker that keeps failing commits being one
     * to report rather than to retry against.
     */
    static final class CommitFailures {
        static final int REPLACEMENTS = 3;
        static final Duration WINDOW = Duration.ofMinutes(10);

        private final Supplier<Instant> clock;
        private final Deque<Instant> replaced = new ArrayDeque<>();

        CommitFailures(Supplier<Instant> clock) {
            this.clock = clock;
        }

        synchronized StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response(Throwable e) {
            if (!failedTransaction(e)) {
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            Instant now = clock.get();
            while (!replaced.isEmpty() && !replaced.peekFirst().isAfter(now.minus(WINDOW))) {
                replaced.removeFirst();
            }
            if (replaced.size() >= REPLACEMENTS) {
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            replaced.addLast(now);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }

        /** Kafka Streams names a failed commit only in its message ("Error encountered trying to commit a transaction"). */
        static boolean failedTransaction(Throwable e) {
            boolean commit = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AuthorizationException) {
                    return false;
                }
                commit |= t instanceof InvalidTxnStateException
                        || t instanceof StreamsException && t.getMessage() != null && t.getMessage().contains("trying to commit a transaction");
            }
            return commit;
        }
    }

    /**
     * Why a started stage is no longer working, or null while it is: the state of a client that failed (ERROR) or
     * was stopped by something other than the command that runs it.
     */
    public static String failure(KafkaStreams streams) {
        return switch (streams.state()) {
            case ERROR, PENDING_ERROR -> "its Kafka Streams client failed";
            case NOT_RUNNING, PENDING_SHUTDOWN -> "its Kafka Streams client stopped";
            default -> null;
        };
    }
}
