package org.opinionwatch.escalation.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.escalation.plan.Duty;

/**
 * How people name and time actions, the same for {@code opinion-watch act} and the actions endpoint: kinds in lower
 * case ({@code responded}), times as ISO-8601 instants, and what each kind fulfils in the response plan.
 */
public final class Actions {
    /** How far ahead of this machine's clock an action may be dated: other machines' clocks differ a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private Actions() {
    }

    /** The kind as people write it: {@code responded}. */
    public static String name(Action.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Every kind, for messages: {@code acknowledged, forwarded, responded, resolved, reviewed}. */
    public static String kinds() {
        return Arrays.stream(Action.Kind.values()).map(Actions::name).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException for an unknown kind, listing the kinds */
    public static Action.Kind kind(String name) {
        for (Action.Kind kind : Action.Kind.values()) {
            if (name(kind).equalsIgnoreCase(name.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind \"" + name + "\": one of " + kinds());
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

    /** What an action of this kind fulfils in the response plan: the duties it answers ({@link Duty#fulfilledBy}). */
    public static String fulfils(Action.Kind kind) {
        if (kind == Action.Kind.RESOLVED) {
            return "every pending duty of the incident but the review";
        }
        return Arrays.stream(Duty.values()).filter(d -> d.fulfilledBy(kind)).map(Duty::key).collect(Collectors.joining(", "));
    }
}
