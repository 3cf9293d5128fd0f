package org.opinionwatch.launcher.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.opinionwatch.contract.serde.Json;

/**
 * One event read back from an output topic, kept as the bytes its stage wrote: a run's outputs are read whole, and tens
 * of thousands of events held as JSON trees cost a replay more in garbage collection than reading them does.
 *
 * @param topic the topic's name without the namespace prefix, so outputs of different runs compare line by line
 * @param time the record's timestamp: the event's time in event time
 * @param value the record's value, a JSON document in UTF-8 on every output topic; not to be changed
 */
public record OutputEvent(String topic, String key, Instant time, byte[] value) {
    /** An event given as a tree. */
    public OutputEvent(String topic, String key, Instant time, JsonNode event) {
        this(topic, key, time, bytes(event));
    }

    /** The event as a JSON tree, read anew at each call. */
    public JsonNode event() {
        return OutputReader.json(value);
    }

    /** The event as the contract's record of its topic ({@code SeverityChange.class} for incidents.severity...). */
    public <T> T as(Class<T> type) {
        try {
            return Json.TOLERANT.readValue(value, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("an event on " + topic + " (key " + key + ") is not a " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return Json.TOLERANT.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event that cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputEvent e && topic.equals(e.topic) && Objects.equals(key, e.key) && time.equals(e.time)
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, key, time, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return topic + " " + key + " " + time + " " + new String(value, StandardCharsets.UTF_8);
    }
}
