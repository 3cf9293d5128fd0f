package org.opinionwatch.classifier.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.opinionwatch.contract.serde.Json;

/**
 * The event time of a posts.raw record: the post's {@code observedAt}, whatever time the producer gave the record.
 * The classifier's timers (falls, subsidings) fire on the stream time of the task that reads posts.raw, so a
 * producer that leaves the record time to the wall clock must not move an archive's incidents years ahead. Read with
 * a streaming scan of the top-level fields (the text is skipped, not decoded). A record it cannot read keeps its
 * partition's time: the parser then sends it to posts.dlq with the reason, and stream time does not move.
 */
final class ObservedAt implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long observedAt = record.value() instanceof byte[] bytes ? scan(bytes) : -1;
        return observedAt >= 0 ? observedAt : Math.max(partitionTime, 0);
    }

    private static long scan(byte[] json) {
        try (JsonParser parser = Json.TOLERANT.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("observedAt")) {
                    return value == JsonToken.VALUE_STRING ? Instant.parse(parser.getText()).toEpochMilli() : -1;
                }
                parser.skipChildren();
            }
            return -1;
        } catch (IOException | DateTimeParseException | ArithmeticException e) {
            return -1;
        }
    }
}
