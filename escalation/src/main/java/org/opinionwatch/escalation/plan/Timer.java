package org.opinionwatch.escalation.plan;

import java.time.Instant;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * Something due at an instant for one incident. A timer is checked against the case when it fires: one that no
 * longer applies (a round replaced, a duty done) fires nothing, so nothing needs cancelling. Its {@link #key} sorts by
 * due time, so an index of timers keyed by it gives the due ones first; a case holds one timer per key.
 *
 * @param start the start of the series it belongs to (tracking round, bulletins, aftercare); for the timers of
 *     duties (reminder, overdue notice, simulated office) the deadline of the duties it is about
 * @param sequence its place in the series
 * @param notificationId for the timers of duties: the notification that gave them
 */
public record Timer(Kind kind, String incidentId, Instant due, Instant start, int sequence, String notificationId) {

    public enum Kind {
        CHECKPOINT, REMINDER, OVERDUE,
        /** The simulated office does the duties ({@code escalation.office}). */
        OFFICE,
        BULLETIN, AFTERCARE
    }

    /**
     * {@code "<due epoch millis, zero-padded to 19 digits>|<incident id>|<kind>|<sequence, or notification and
     * deadline>"}: the string order is the due order (event times before 1970 are not supported).
     */
    public String key() {
        return SortableKeys.decimal(due.toEpochMilli()) + "|" + incidentId + "|" + kind + "|"
                + (notificationId != null ? notificationId + "|" + start.toEpochMilli() : String.valueOf(sequence));
    }

    /** Whether the two have the same {@link #key}, told from the fields it is made of: a case checks at every timer it arms. */
    public boolean sameKey(Timer other) {
        return due.toEpochMilli() == other.due.toEpochMilli() && kind == other.kind && incidentId.equals(other.incidentId)
                && (notificationId == null ? other.notificationId == null && sequence == other.sequence
                        : notificationId.equals(other.notificationId) && start.toEpochMilli() == other.start.toEpochMilli());
    }
}
