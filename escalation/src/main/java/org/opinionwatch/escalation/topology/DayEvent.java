package org.opinionwatch.escalation.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.CaseFormat;
import org.opinionwatch.escalation.plan.Output;

/**
 * What the desk hears from the plan's tasks (one partition, key {@value #KEY}): an incident's level change, or
 * ({@code tracked}) its checkpoint or forecast, with its trend and the forecast in force; a notification that its
 * role's quiet hours hold ({@code held}), or its withdrawal ({@code withdrawn}); or, with a null incident, only that
 * event time has reached {@code at} in the plan task of partition {@code source} (a heartbeat), so that digests and
 * the daily report come on time on a quiet day, once every task has got there. The fields after {@code withdrawn}
 * came later in the same format: a record without them reads as a level change with neither.
 */
record DayEvent(int source, String incidentId, String subject, PostRef rootPost, Level level, WindowMetrics metrics, Instant at,
                Notification held, boolean withdrawn, TrackingCheckpoint.Trend trend, Case.Forecast forecast, boolean tracked) {
    static final String KEY = "desk";
    /**
     * As compact bytes, on the desk's repartition topic and in its store, both written for about every other
     * snapshot: the source, then the entry as a case holds its unreported one ({@link CaseFormat#deskEntry}). Reads
     * the JSON of {@code /2}, left on the topic or in the store by an earlier release.
     */
    static final String SCHEMA = "escalation-day-event/3";
    /** As earlier releases wrote it, on the topic and in the store. */
    static final JsonSerde<DayEvent> JSON = new JsonSerde<>(DayEvent.class, "escalation-day-event/2");
    static final CompactSerde<DayEvent> SERDE = new CompactSerde<>(SCHEMA, new CompactSerde.Format<>() {
        @Override
        public void write(DayEvent e, CompactSerde.Writer out) {
            out.number(e.source());
            CaseFormat.deskEntry(out, e.entry());
        }

        @Override
        public DayEvent read(CompactSerde.Reader in) {
            return of(Math.toIntExact(in.number()), CaseFormat.deskEntry(in));
        }
    }, JSON);

    static DayEvent of(int source, Output.DeskEntry e) {
        return new DayEvent(source, e.incidentId(), e.subject(), e.rootPost(), e.level(), e.metrics(), e.at(), e.held(), e.withdrawn(),
                e.trend(), e.forecast(), e.tracked());
    }

    Output.DeskEntry entry() {
        return new Output.DeskEntry(incidentId, subject, rootPost, level, metrics, at, held, withdrawn, trend, forecast, tracked);
    }

    static DayEvent tick(int source, Instant at) {
        return new DayEvent(source, null, null, null, null, null, at, null, false, null, null, false);
    }
}
