package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * Advances event time in quiet periods ({@code clock}, sent to every partition): live ingest sends the wall
 * clock, a replay sends the archive's own clock, so timers fire in event time although no post arrives.
 */
public record Heartbeat(Instant time, String source) {
    public static final String SCHEMA = "heartbeat/1";
}
