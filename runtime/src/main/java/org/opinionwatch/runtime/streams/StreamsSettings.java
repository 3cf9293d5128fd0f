package org.opinionwatch.runtime.streams;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
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
     * exception is a transaction the broker itself aborted ({@link #response}).
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
        streams.setUncaughtExceptionHandler(e -> {
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = response(e);
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("{}: the broker aborted a stream thread's transaction; a new thread resumes from the last commit: {}",
                        application, DeadLetters.describe(e));
            } else {
                LOG.error("{}: a stream thread failed, the Kafka Streams client shuts down: {}", application, DeadLetters.describe(e), e);
            }
            return response;
        });
        streams.start();
        return streams;
    }

    /**
     * How a stage answers a stream thread's death: the client shuts down, unless the thread's transaction failed
     * because the broker had aborted it. A broker that comes back after the transaction timeout aborts what was open
     * and may answer the commit with INVALID_TXN_STATE rather than a fenced epoch, which Kafka Streams 4.4 takes for
     * fatal; nothing of it was committed, and a new thread, with a new producer, resumes from the last commit as Kafka
     * Streams does itself for a fenced producer (KillTest kills the broker inside a transaction).
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidTxnStateException) {
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
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
