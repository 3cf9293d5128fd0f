package org.opinionwatch.classifier.topology;

import java.time.Instant;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * A task's incidents by the instant each must be looked at again ({@link org.opinionwatch.classifier.incident.IncidentRecord#nextCheck}), earliest first.
 * Kept in memory only: the incidents store holds every next check, so a task rebuilds this from its store when it
 * starts, and writing a timer store besides (a delete and a put per increment of an open incident) is saved.
 */
final class DueChecks {
    record Due(long at, String incidentId) {
    }

    private final TreeSet<Due> due = new TreeSet<>(Comparator.comparingLong(Due::at).thenComparing(Due::incidentId));

    void clear() {
        due.clear();
    }

    void add(Instant at, String incidentId) {
        due.add(new Due(at.toEpochMilli(), incidentId));
    }

    void remove(Instant at, String incidentId) {
        due.remove(new Due(at.toEpochMilli(), incidentId));
    }

    /** Takes the earliest check due before {@code before}, or returns null when none is. */
    Due takeBefore(long before) {
        Due first = due.isEmpty() ? null : due.first();
        return first != null && first.at() < before ? due.pollFirst() : null;
    }
}
