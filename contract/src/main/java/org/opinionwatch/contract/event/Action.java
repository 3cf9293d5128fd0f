package org.opinionwatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * What a person did or decided ({@code actions}). An action about an incident is keyed by the incident id; a
 * silence, or its removal, by {@link #key} ({@code silence:ID}) and is written to every partition, as every task of
 * the escalation applies it. The contract for downstream services is {@code docs/contract-notifications.md}.
 *
 * @param id deterministic from what it says, who and when: the same action sent twice counts once
 * @param incidentId the incident; null for a silence of a subject or a role, and for the removal of a silence
 * @param duty for {@link Kind#DONE}: the plan's key of the duty it fulfils (such as {@code respond})
 * @param level for {@link Kind#SET_LEVEL}: the level people set
 * @param into for {@link Kind#MERGE}: the incident that this one is merged into, and goes on as
 * @param silence for {@link Kind#SILENCE}: what is silenced, until when; for {@link Kind#UNSILENCE}: the silence's id
 * @param note what was done, or why: required as the reason of a judgement ({@link Kind#isJudgement()})
 * @param at when the person acted, in event time
 */
public record Action(String id, String incidentId, Kind kind, String duty, Level level, String into, Silence silence,
                     String by, String note, Instant at) {

    public static final String SCHEMA = "action/2";

    public enum Kind {
        /** A duty of the plan is done: {@link #duty} says which, and only that one is closed. */
        DONE,
        /** The matter is settled: every open duty of the incident is closed (the review still follows). */
        RESOLVE,
        /** Not about us, or a false alarm: the case closes, and its reposts do not reopen it. */
        DISMISS,
        /** A level set by people's judgement (人工判读), which the automatic level does not lower until it is cleared. */
        SET_LEVEL,
        /** The level people set is cleared: the automatic level applies again. */
        CLEAR_LEVEL,
        /** Two cases are one story: this incident goes on as {@link #into}. */
        MERGE,
        /** No notifications about an incident or subject, or to a role, until a time. */
        SILENCE,
        /** A silence is removed before its time. */
        UNSILENCE;

        /** Whether the classifier applies it, as it changes levels and incidents. */
        @JsonIgnore
        public boolean isJudgement() {
            return this == DISMISS || this == SET_LEVEL || this == CLEAR_LEVEL || this == MERGE;
        }
    }

    /**
     * What a silence covers, until when.
     *
     * @param id deterministic from what it covers, who set it and when; for {@link Kind#UNSILENCE} the one to remove
     * @param target null in an {@link Kind#UNSILENCE}
     * @param value the incident id, the subject id or the role's name
     */
    public record Silence(String id, Target target, String value, Instant until) {
        public enum Target { INCIDENT, SUBJECT, ROLE }

        public static Silence of(String id) {
            return new Silence(id, null, null, null);
        }

        /** Whether it covers a notification about this incident of this subject, to this role, at this instant. */
        public boolean covers(String incidentId, String subject, Role role, Instant at) {
            if (until == null || !at.isBefore(until)) {
                return false;
            }
            return switch (target) {
                case INCIDENT -> value.equals(incidentId);
                case SUBJECT -> value.equals(subject);
                case ROLE -> role != null && value.equals(role.name());
            };
        }
    }

    public Action {
        Objects.requireNonNull(kind, "kind is required");
        Post.requireText(by, "by");
        Objects.requireNonNull(at, "at is required");
        note = note == null ? "" : note;
        switch (kind) {
            case DONE -> {
                Post.requireText(incidentId, "incidentId");
                Post.requireText(duty, "duty");
            }
            case RESOLVE, CLEAR_LEVEL -> Post.requireText(incidentId, "incidentId");
            case DISMISS -> requireReason(incidentId, note);
            case SET_LEVEL -> {
                requireReason(incidentId, note);
                if (level == null || level == Level.NONE) {
                    throw new IllegalArgumentException("level is required: MINOR, GENERAL, MAJOR or CRITICAL");
                }
            }
            case MERGE -> {
                requireReason(incidentId, note);
                Post.requireText(into, "into");
                if (into.equals(incidentId)) {
                    throw new IllegalArgumentException("an incident cannot be merged into itself");
                }
            }
            case SILENCE -> {
                Post.requireText(note, "note (the reason)");
                if (silence == null || silence.target() == null || silence.value() == null || silence.value().isBlank() || silence.until() == null) {
                    throw new IllegalArgumentException("silence needs a target (INCIDENT, SUBJECT or ROLE), its value and until");
                }
                if (silence.id() == null || silence.id().isBlank()) {
                    silence = new Silence(NamedIds.of("silence|" + silence.target() + "|" + silence.value() + "|" + by + "|" + at.toEpochMilli()),
                            silence.target(), silence.value(), silence.until());
                }
            }
            case UNSILENCE -> {
                if (silence == null || silence.id() == null || silence.id().isBlank()) {
                    throw new IllegalArgumentException("silence.id is required: the silence to remove");
                }
            }
        }
        id = id == null || id.isBlank() ? NamedIds.of(String.join("|", String.valueOf(incidentId), kind.name(), String.valueOf(duty),
                String.valueOf(level), String.valueOf(into), silence == null ? "null" : String.valueOf(silence.id()), by,
                String.valueOf(at.toEpochMilli()))) : id;
    }

    /** A duty done. */
    public static Action done(String incidentId, String duty, String by, String note, Instant at) {
        return new Action(null, incidentId, Kind.DONE, duty, null, null, null, by, note, at);
    }

    /** An action about an incident that names no duty, level, other incident or silence: resolve, dismiss, clear-level. */
    public static Action of(String incidentId, Kind kind, String by, String note, Instant at) {
        return new Action(null, incidentId, kind, null, null, null, null, by, note, at);
    }

    /** The record key on {@code actions}: the incident id, or {@code silence:ID} for a silence and its removal. */
    @JsonIgnore
    public String key() {
        return kind == Kind.SILENCE || kind == Kind.UNSILENCE ? "silence:" + silence.id() : incidentId;
    }

    private static void requireReason(String incidentId, String note) {
        Post.requireText(incidentId, "incidentId");
        Post.requireText(note, "note (the reason)");
    }
}
