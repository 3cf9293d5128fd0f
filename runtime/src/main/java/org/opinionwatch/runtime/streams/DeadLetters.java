package org.opinionwatch.runtime.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams stage's dead-letter topic: a record the stage cannot read, process or write becomes a
 * {@link DeadLetter} there (source: the stage; location: the input's {@code topic-partition@offset}; the reason; the
 * input as text), is counted in {@code stage.dead.letters} by kind and logged in one line, and the stage goes on
 * with the next record. Kafka Streams makes the handlers ({@link DeadLetterHandler}) from their class names; they find
 * this object among the settings that {@link #applyTo} adds.
 */
public final class DeadLetters {
    /** The key under which the handlers find this object in the Streams settings. */
    static final String CONFIG = "opinion-watch.dead-letters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** What went wrong: the {@code kind} tag of {@code stage.dead.letters}. */
    public enum Kind {
        /** An input record could not be read (its serde refused it). */
        DESERIALIZATION,
        /** A processor threw while handling a record, or a punctuation failed. */
        PROCESSING,
        /** An output record could not be written: its serde refused it (it was too large, for one). */
        PRODUCTION;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String stage;
    private final String topic;
    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    /**
     * @param stage the stage's name: the dead letters' source and the counter's {@code stage} tag
     * @param topic the stage's dead-letter topic
     * @param registry where the counter goes; registered at zero, so that Prometheus's increase() sees the first one
     */
    public DeadLetters(String stage, String topic, MeterRegistry registry) {
        this.stage = stage;
        this.topic = topic;
        for (Kind kind : Kind.values()) {
            counters.put(kind, Counter.builder("stage.dead.letters").tags("stage", stage, "kind", kind.tag())
                    .description("Records a Kafka Streams stage sent to its dead-letter topic, by what went wrong")
                    .register(registry));
        }
    }

    /** {@code settings} with the stage's exception handlers, which write here. */
    public Properties applyTo(Properties settings) {
        settings.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        settings.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        settings.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        settings.put(CONFIG, this);
        return settings;
    }

    public String stage() {
        return stage;
    }

    public String topic() {
        return topic;
    }

    /**
     * The dead letter of what went wrong with the input of {@code context}, counted and logged.
     *
     * @param key the input record's key as it came, or the failed output's; may be null
     * @param input the input record's value as it came, or the failed output's; may be null
     */
    ProducerRecord<byte[], byte[]> letter(Kind kind, ErrorHandlerContext context, byte[] key, byte[] input, String reason) {
        String location = context.topic() == null
                ? "task " + context.taskId() + ", " + context.processorNodeId() + " (no input record: a punctuation)"
                : context.topic() + "-" + context.partition() + "@" + context.offset();
        counters.get(kind).increment();
        LOG.warn("{}: {} of {} sent to {}: {}", stage, kind.tag(), location, topic, reason);
        DeadLetter letter = DeadLetter.of(stage, location, kind.tag() + ": " + reason,
                input == null ? null : new String(input, StandardCharsets.UTF_8), Instant.now());
        return new ProducerRecord<>(topic, null, key, Topics.DEAD_LETTER.serialize(topic, letter));
    }

    /** An exception in one line: its type and message, or its cause's when it has no message of its own. */
    static String describe(Throwable e) {
        if (e.getMessage() == null && e.getCause() != null && e.getCause() != e) {
            return e.getClass().getSimpleName() + " (" + describe(e.getCause()) + ")";
        }
        return (e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())).replace('\n', ' ');
    }
}
