package org.opinionwatch.classifier.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * A story that joined another incident: the incident it joined. Kept by the story's root post id (store
 * {@value ClassifierTopology#JOINED_STORE}).
 */
record JoinedStory(String incidentId) {
    static final String SCHEMA = "classifier-joined-story/1";
    private static final JsonSerde<JoinedStory> JSON = new JsonSerde<>(JoinedStory.class, SCHEMA);
    private static final byte[] SCHEMA_FIELD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);

    /**
     * Writes {@value #SCHEMA}; reads it, and the bare incident id that the store held before its values named their
     * format, so that the joins a release before it kept are still read.
     */
    static final Serde<JoinedStory> SERDE = Serdes.serdeFrom(JSON, (Deserializer<JoinedStory>) (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        boolean named = bytes.length > SCHEMA_FIELD.length
                && java.util.Arrays.equals(bytes, 0, SCHEMA_FIELD.length, SCHEMA_FIELD, 0, SCHEMA_FIELD.length);
        return named ? JSON.deserialize(topic, bytes) : new JoinedStory(new String(bytes, StandardCharsets.UTF_8));
    });
}
