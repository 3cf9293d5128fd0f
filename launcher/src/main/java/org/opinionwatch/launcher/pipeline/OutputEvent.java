package org.opinionwatch.launcher.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event read back from an output topic.
 *
 * @param topic the topic's name without the namespace prefix, so outputs of different runs compare line by line
 * @param time the record's timestamp: the event's time in event time
 */
public record OutputEvent(String topic, String key, Instant time, JsonNode event) {
}
