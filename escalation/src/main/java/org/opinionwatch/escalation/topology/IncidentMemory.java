package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * What the escalation stage remembers of one incident (store {@value EscalationTopology#INCIDENT_STORE}, key:
 * incident id, changelogged).
 *
 * @param level the level of the latest severity change, NONE before any
 * @param metrics the latest metrics known, null before any report
 * @param metricsAt the event time of {@code metrics}: an older report never replaces a newer one
 * @param round the tracking round, null if none was ever started
 */
record IncidentMemory(String incidentId, Level level, WindowMetrics metrics, Instant metricsAt, Round round) {

    static final String SCHEMA = "escalation-incident/1";
    static final JsonSerde<IncidentMemory> SERDE = new JsonSerde<>(IncidentMemory.class, SCHEMA);

    /**
     * A tracking round: checkpoints at {@code start + k * trackingEvery}.
     *
     * @param nextSequence the sequence of the next checkpoint to fire; past the round's last one when it is over
     * @param lastMetrics the metrics at the last checkpoint, or at the level change before the first one
     */
    record Round(Instant start, int nextSequence, WindowMetrics lastMetrics) {
        Round next(WindowMetrics metricsNow) {
            return new Round(start, nextSequence + 1, metricsNow);
        }
    }

    static IncidentMemory fresh(String incidentId) {
        return new IncidentMemory(incidentId, Level.NONE, null, null, null);
    }

    /** These metrics if reported at or after the ones known (an out-of-order older report is ignored). */
    IncidentMemory withMetrics(WindowMetrics reported, Instant reportedAt) {
        if (reported == null || (metricsAt != null && reportedAt.isBefore(metricsAt))) {
            return this;
        }
        return new IncidentMemory(incidentId, level, reported, reportedAt, round);
    }

    IncidentMemory withLevel(Level newLevel) {
        return new IncidentMemory(incidentId, newLevel, metrics, metricsAt, round);
    }

    IncidentMemory withRound(Round newRound) {
        return new IncidentMemory(incidentId, level, metrics, metricsAt, newRound);
    }
}
