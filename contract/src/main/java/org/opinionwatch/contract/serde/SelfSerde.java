package org.opinionwatch.contract.serde;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.opinionwatch.contract.event.Limits;

/**
 * A serde that is its own serializer and deserializer ({@link JsonSerde}, {@link CompactSerde}, the classifier's
 * reader of posts), with nothing to configure or close: Kafka's two defaults of {@code close}, which clash, settled once
 * here.
 */
public interface SelfSerde<T> extends Serde<T>, Serializer<T>, Deserializer<T> {
    @Override
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    default void close() {
    }

    @Override
    default Serializer<T> serializer() {
        return this;
    }

    @Override
    default Deserializer<T> deserializer() {
        return this;
    }

    /** {@code bytes}, a record of {@code schema} as written, unless it is larger than a record may be ({@link Limits#RECORD_BYTES}). */
    static byte[] withinRecordLimit(String schema, byte[] bytes) {
        if (bytes.length > Limits.RECORD_BYTES) {
            throw new SerializationException("cannot write " + schema + ": " + bytes.length + " bytes, more than the "
                    + Limits.RECORD_BYTES + " a record may have");
        }
        return bytes;
    }
}
