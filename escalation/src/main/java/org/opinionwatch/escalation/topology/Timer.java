package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * A pending checkpoint (store {@value EscalationTopology#TIMER_STORE}, changelogged). Its key, from {@link #key},
 * sorts by due time, so the due timers are one range scan from the start of the store. Each incident has at most
 * one: the next checkpoint of its current round.
 */
record Timer(String incidentId, Instant roundStart, int sequence) {

    static final String SCHEMA = "escalation-timer/1";
    static final JsonSerde<Timer> SERDE = new JsonSerde<>(Timer.class, SCHEMA);

    /**
     * {@code "<due epoch millis, zero-padded to 19 digits>|<incident id>"}: the string order is the due order
     * (event times before 1970 are not supported).
     */
    static String key(Instant due, String incidentId) {
        return upperBound(due.toEpochMilli()) + "|" + incidentId;
    }

    /** A bound that every key due before {@code millis} sorts below, and every key due at or after it above. */
    static String upperBound(long millis) {
        return String.format("%019d", millis);
    }

    boolean belongsTo(IncidentMemory.Round round) {
        return round != null && round.start().equals(roundStart) && round.nextSequence() == sequence;
    }
}
