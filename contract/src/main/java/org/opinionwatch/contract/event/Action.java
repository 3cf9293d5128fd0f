package org.opinionwatch.contract.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a person did about an incident ({@code actions}, key: incident id). An action fulfils the duties it answers
 * (see the escalation's plan): their reminders and overdue notices stop.
 *
 * @param id deterministic from incident, kind, person and instant: the same action sent twice counts once
 * @param at when the person acted, in event time
 */
public record Action(String id, String incidentId, Kind kind, String by, String note, Instant at) {

    public static final String SCHEMA = "action/1";

    public enum Kind {
        /** The report reached its recipients (the leadership group, the superior authority): reports are answered. */
        ACKNOWLEDGED,
        /** The office triaged the incident and forwarded it to the responsible department (or to law enforcement). */
        FORWARDED,
        /** The department (or the spokesperson) replied, explained, published the facts. */
        RESPONDED,
        /** The matter is settled and the result fed back: every pending duty of the incident is done. */
        RESOLVED,
        /** The review after the incident (总结评估) is done. */
        REVIEWED
    }

    public Action {
        Post.requireText(incidentId, "incidentId");
        Objects.requireNonNull(kind, "kind is required");
        Post.requireText(by, "by");
        Objects.requireNonNull(at, "at is required");
        note = note == null ? "" : note;
        id = id == null || id.isBlank() ? idOf(incidentId, kind, by, at) : id;
    }

    public static Action of(String incidentId, Kind kind, String by, String note, Instant at) {
        return new Action(null, incidentId, kind, by, note, at);
    }

    static String idOf(String incidentId, Kind kind, String by, Instant at) {
        String name = incidentId + "|" + kind + "|" + by + "|" + at.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
