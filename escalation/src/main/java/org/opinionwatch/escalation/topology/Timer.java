package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * Something due at an instant (store {@value EscalationTopology#TIMER_STORE}, changelogged). Its key, from
 * {@link #key}, sorts by due time, so the due timers come first. A timer is
 * checked against the incident when it fires: one that no longer applies (a round replaced, a duty done) fires
 * nothing, so nothing needs cancelling.
 *
 * @param start the start of the series it belongs to (tracking round, bulletins, aftercare)
 * @param sequence its place in the series
 * @param notificationId for reminders and overdue notices: the duty's notification
 */
record Timer(Kind kind, String incidentId, Instant start, int sequence, String notificationId) {

    static final String SCHEMA = "escalation-timer/2";
    static final JsonSerde<Timer> SERDE = new JsonSerde<>(Timer.class, SCHEMA);

    enum Kind { CHECKPOINT, REMINDER, OVERDUE, BULLETIN, AFTERCARE }

    /**
     * {@code "<due epoch millis, zero-padded to 19 digits>|<incident id>|<kind>|<sequence or notification>"}: the
     * string order is the due order (event times before 1970 are not supported).
     */
    String key(Instant due) {
        return upperBound(due.toEpochMilli()) + "|" + incidentId + "|" + kind + "|" + (notificationId != null ? notificationId : sequence);
    }

    /** A bound that every key due before {@code millis} sorts below, and every key due at or after it above. */
    static String upperBound(long millis) {
        return SortableKeys.decimal(millis);
    }

    static long dueOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('|')));
    }
}
