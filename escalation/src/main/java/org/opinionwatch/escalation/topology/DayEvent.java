package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.escalation.plan.Output;

/**
 * What the daily report hears from the plan's tasks (one partition, key {@value #KEY}): an incident's level change,
 * or, with a null incident, only that event time has reached {@code at} in the plan task of partition
 * {@code source} (a heartbeat), so the report comes on time on a quiet day, once every task has got there.
 */
record DayEvent(int source, String incidentId, String subject, Level level, WindowMetrics metrics, Instant at) {
    static final String KEY = "daily-report";
    static final String SCHEMA = "escalation-day-event/1";
    static final JsonSerde<DayEvent> SERDE = new JsonSerde<>(DayEvent.class, SCHEMA);

    static DayEvent of(int source, Output.DeskEntry e) {
        return new DayEvent(source, e.incidentId(), e.subject(), e.level(), e.metrics(), e.at());
    }

    static DayEvent tick(int source, Instant at) {
        return new DayEvent(source, null, null, null, null, at);
    }
}
