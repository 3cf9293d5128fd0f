package org.opinionwatch.escalation.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.Duty;

/**
 * How people name, time and check actions, the same for {@code opinion-watch act}, {@code opinion-watch silence} and
 * the actions endpoint: a duty by its key ({@code respond}), or one of {@link #KINDS}; times as ISO-8601 instants;
 * and whether the case as the stage holds it can take the action ({@link #check}).
 */
public final class Actions {
    /** How far ahead of this machine's clock an action may be dated: other machines' clocks differ a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** What people do about an incident besides closing one duty. */
    public static final List<String> KINDS = List.of("resolve", "dismiss", "set-level", "clear-level", "merge");

    private Actions() {
    }

    /** A refused action: the HTTP status that says why (404 unknown, 409 already so), and the reason. */
    public record Refusal(int status, String reason) {
    }

    /** The kind as people write it: {@code set-level}. */
    public static String name(Action.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What {@code act} takes: every duty key people close, then the other kinds. */
    public static String choices() {
        return "a duty (" + String.join(", ", Duty.closableKeys()) + ") or " + String.join(", ", KINDS);
    }

    /**
     * The kind of what a person asks: {@link Action.Kind#DONE} for a duty key, else the kind it names.
     *
     * @throws IllegalArgumentException for anything else, listing what there is
     */
    public static Action.Kind kind(String what) {
        String w = what.strip().toLowerCase(Locale.ROOT);
        if (Duty.of(w).filter(Duty::closable).isPresent()) {
            return Action.Kind.DONE;
        }
        if (KINDS.contains(w)) {
            return Action.Kind.valueOf(w.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        throw new IllegalArgumentException("unknown duty or action \"" + what + "\": " + choices());
    }

    /** A level people set: MINOR, GENERAL, MAJOR or CRITICAL, in any case. */
    public static Level level(String name) {
        try {
            Level level = Level.valueOf(name.strip().toUpperCase(Locale.ROOT));
            if (level != Level.NONE) {
                return level;
            }
        } catch (IllegalArgumentException e) {
            // said below, with the levels
        }
        throw new IllegalArgumentException("unknown level \"" + name + "\": MINOR, GENERAL, MAJOR or CRITICAL");
    }

    /** A role by its name in the plan: DEPARTMENT, OFFICE, LEADERSHIP_GROUP, SUPERIOR_AUTHORITY, SPOKESPERSON. */
    public static Role role(String name) {
        try {
            return Role.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role \"" + name + "\": one of " + String.join(", ",
                    java.util.Arrays.stream(Role.values()).map(Role::name).toList()));
        }
    }

    /** An instant with an offset, {@code 2024-05-01T09:00:00Z} or {@code 2024-05-01T17:00:00+08:00}. */
    public static Instant instant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an ISO-8601 instant such as 2024-05-01T09:00:00Z"
                    + " or 2024-05-01T17:00:00+08:00");
        }
    }

    /**
     * The time of an action given without one: now, to the millisecond, the precision of its id and of its record's
     * timestamp, so that the time it is published with is the time a resend must give to count once.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Refuses an action dated in the future (beyond {@link #CLOCK_SKEW}): an action is recorded once it is done, and a
     * future time would mark duties as done before they are.
     */
    public static void checkNotFuture(Instant at, Instant now) {
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw new IllegalArgumentException(at + " is in the future: record an action once it is done");
        }
    }

    /**
     * Whether the stage's cases can take the action: the incident (and the one merged into) must have a case, a duty
     * must be open in it, a silence to remove must exist. Empty when it can.
     *
     * @throws Cases.Unavailable or {@link Cases.Elsewhere} when the stage cannot say here and now
     */
    public static Optional<Refusal> check(Action action, Cases cases) {
        if (action.kind() == Action.Kind.UNSILENCE) {
            return cases.silences().stream().anyMatch(s -> s.id().equals(action.silence().id())) ? Optional.empty()
                    : Optional.of(new Refusal(404, "no silence " + action.silence().id() + ": nothing recorded"));
        }
        if (action.kind() == Action.Kind.SILENCE) {
            return action.silence().target() != Action.Silence.Target.INCIDENT ? Optional.empty() : known(action.silence().value(), cases);
        }
        Optional<Case> found = cases.find(action.incidentId());
        if (found.isEmpty()) {
            return Optional.of(unknown(action.incidentId()));
        }
        Case c = found.get();
        switch (action.kind()) {
            case DONE -> {
                return duty(c, action.duty());
            }
            case DISMISS -> {
                if (c.status() == Case.Status.DISMISSED) {
                    return Optional.of(new Refusal(409, "incident " + c.incidentId() + " is dismissed already: nothing recorded"));
                }
            }
            case MERGE -> {
                if (c.status() == Case.Status.MERGED || c.status() == Case.Status.DISMISSED) {
                    return Optional.of(new Refusal(409, "incident " + c.incidentId() + " is " + c.status().name().toLowerCase(Locale.ROOT)
                            + " already: nothing recorded"));
                }
                Optional<Refusal> into = known(action.into(), cases);
                if (into.isPresent()) {
                    return into;
                }
            }
            default -> { }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> known(String incidentId, Cases cases) {
        return cases.find(incidentId).isPresent() ? Optional.empty() : Optional.of(unknown(incidentId));
    }

    private static Refusal unknown(String incidentId) {
        return new Refusal(404, "no incident " + incidentId + ": the escalation stage has no case of it (check the id: the "
                + "id of its first original post); nothing recorded");
    }

    /** A duty must be open in the case; one done already is a conflict, one it never had unknown. */
    private static Optional<Refusal> duty(Case c, String key) {
        List<String> open = new ArrayList<>();
        Case.DutyState closed = null;
        for (Case.DutyState d : c.duties()) {
            if (d.isOpen()) {
                if (d.duty().equals(key)) {
                    return Optional.empty();
                }
                open.add(d.duty());
            } else if (d.duty().equals(key)) {
                closed = d;
            }
        }
        String openNow = open.isEmpty() ? "it has no open duty" : "its open duties: " + String.join(", ", open);
        if (closed != null && closed.state() == Case.DutyState.State.DONE) {
            return Optional.of(new Refusal(409, "duty " + key + " of incident " + c.incidentId() + " was done by " + closed.by() + " at "
                    + closed.closedAt() + "; " + openNow + "; nothing recorded"));
        }
        return Optional.of(new Refusal(404, "incident " + c.incidentId() + " has no open duty " + key + "; " + openNow + "; nothing recorded"));
    }

    /** What an accepted action does, for the answer to the person. */
    public static String effect(Action action) {
        return switch (action.kind()) {
            case DONE -> "closes " + action.duty();
            case RESOLVE -> "closes every open duty of the incident";
            case DISMISS -> "closes the case: its reposts do not reopen it";
            case SET_LEVEL -> "sets the level to " + action.level() + " until it is cleared";
            case CLEAR_LEVEL -> "clears the level people set: the automatic level applies";
            case MERGE -> "merges the incident into " + action.into();
            case SILENCE -> "silences " + action.silence().target().name().toLowerCase(Locale.ROOT) + " " + action.silence().value()
                    + " until " + action.silence().until();
            case UNSILENCE -> "removes silence " + action.silence().id();
        };
    }
}
