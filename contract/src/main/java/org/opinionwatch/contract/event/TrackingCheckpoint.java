package org.opinionwatch.contract.event;

import java.time.Instant;

/**
 * A follow-up checkpoint of an incident under tracking ({@code tracking}, key: incident id).
 *
 * @param id deterministic, from incident id, tracking round and sequence
 * @param sequence 1 for the first checkpoint after the incident opened or rose
 * @param at the checkpoint's instant in event time
 * @param metrics the incident's window metrics as last reported at or before {@code at}
 * @param change metrics minus those of the previous checkpoint (or of the level change, for the first)
 */
public record TrackingCheckpoint(
        String id,
        String incidentId,
        Level level,
        int sequence,
        Instant at,
        WindowMetrics metrics,
        WindowMetrics change,
        Trend trend) {

    public static final String SCHEMA = "tracking/1";

    public enum Trend { RISING, STEADY, FALLING }
}
