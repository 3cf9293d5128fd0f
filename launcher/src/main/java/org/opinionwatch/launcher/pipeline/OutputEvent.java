package org.opinionwatch.launcher.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.opinionwatch.contract.serde.Json;

/**
 * One event read back from an output topic.
 *
 * @param topic the topic's name without the namespace prefix, so outputs of different runs compare line by line
 * @param time the record's timestamp: the event's time in event time
 */
public record OutputEvent(String topic, String key, Instant time, JsonNode event) {
    /** The event as the contract's record of its topic ({@code SeverityChange.class} for incidents.severity...). */
    public <T> T as(Class<T> type) {
        try {
            return Json.TOLERANT.treeToValue(event, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("an event on " + topic + " (key " + key + ") is not a " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
