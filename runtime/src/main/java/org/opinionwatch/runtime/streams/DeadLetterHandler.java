package org.opinionwatch.runtime.streams;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three exception handlers of a Kafka Streams stage (KIP-1033, KIP-1034): a record that cannot be read, processed
 * or written becomes a dead letter of the stage ({@link DeadLetters}), written in the same transaction as the
 * record's other outputs, and the stage goes on. Failures that are not the record's own stop the stage instead, so
 * that it exits and its supervisor restarts it: Kafka's own exceptions while processing (a producer in error, a
 * store that cannot be written), and a send that the producer or the broker refuses, which under exactly-once has
 * aborted the transaction already: the record cannot be skipped, only retried. No record of the contract's serde
 * reaches that point by being too large ({@link org.opinionwatch.contract.event.Limits#RECORD_BYTES}).
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private DeadLetters deadLetters;
    private boolean exactlyOnce;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DeadLetters.CONFIG) instanceof DeadLetters given)) {
            throw new ConfigException(DeadLetters.CONFIG, configs.get(DeadLetters.CONFIG), "the stage's DeadLetters (DeadLetters.applyTo)");
        }
        deadLetters = given;
        exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetters.letter(DeadLetters.Kind.DESERIALIZATION, context,
                record.key(), record.value(), "cannot read the record: " + DeadLetters.describe(exception))));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // A SerializationException is a record's: a state the processor could not write or read back.
        if (exception instanceof KafkaException && !(exception instanceof SerializationException)) {
            LOG.error("{}: Kafka failed while {} handled {}-{}@{}, not the record: the stage stops", deadLetters.stage(),
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetters.letter(DeadLetters.Kind.PROCESSING, context,
                context.sourceRawKey(), context.sourceRawValue(), "in " + context.processorNodeId() + ": " + DeadLetters.describe(exception))));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                                        Exception exception, SerializationExceptionOrigin origin) {
        // The input that led to the output, if Kafka Streams still holds it; else what could not be written, as text.
        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : bytes(record.key());
        byte[] input = context.sourceRawValue() != null ? context.sourceRawValue() : bytes(record.value());
        return ProductionExceptionHandler.Response.resume(List.of(deadLetters.letter(DeadLetters.Kind.PRODUCTION, context, key, input,
                "cannot write the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record to " + record.topic() + ": "
                        + DeadLetters.describe(exception))));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (exactlyOnce) {
            // The producer has put the transaction in an abortable error: whatever else it holds is lost with it.
            LOG.error("{}: the record for {} was refused ({}); under exactly-once it cannot be skipped: the stage stops",
                    deadLetters.stage(), record.topic(), DeadLetters.describe(exception));
            return ProductionExceptionHandler.Response.fail();
        }
        return ProductionExceptionHandler.Response.resume(List.of(deadLetters.letter(DeadLetters.Kind.PRODUCTION, context,
                record.key(), record.value(), "the record for " + record.topic() + " was refused: " + DeadLetters.describe(exception))));
    }

    private static byte[] bytes(Object o) {
        return o == null ? null : o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }
}
