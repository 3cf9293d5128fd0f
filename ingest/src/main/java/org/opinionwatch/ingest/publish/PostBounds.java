package org.opinionwatch.ingest.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Limits.Violation;
import org.opinionwatch.contract.event.Post;

/**
 * The bounds a post must keep to enter the pipeline: the contract's field lengths and counts ({@link Limits}) and the
 * time bounds of the config ({@code ingest.limits}). Live input is also held to ingest's clock; archives only to the
 * earliest instant, so that a replay of any past year runs. A post out of bounds is refused where it enters (the
 * push endpoint, an archive, a polled source) and again before it is sent, so the broker never sees it.
 */
public final class PostBounds {
    private final Instant earliest;
    /** Null for archives: they are not held to the clock. */
    private final Duration maxSkew;
    private final Clock clock;

    private PostBounds(Instant earliest, Duration maxSkew, Clock clock) {
        this.earliest = earliest;
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    /** For live input: event times from {@code limits.earliest} to {@code limits.maxSkew} ahead of {@code clock}. */
    public static PostBounds live(OpinionWatchConfig.InputLimits limits, Clock clock) {
        return new PostBounds(limits.earliest(), limits.maxSkew(), clock);
    }

    /** For archives: event times from {@code limits.earliest} on, however recent. */
    public static PostBounds archive(OpinionWatchConfig.InputLimits limits) {
        return new PostBounds(limits.earliest(), null, null);
    }

    /** Every violation of the post: the contract's bounds of its fields, then its times'; empty if it keeps to them. */
    public List<Violation> check(Post post) {
        List<Violation> violations = new ArrayList<>(Limits.violations(post));
        Instant latest = latest();
        time(violations, "publishedAt", post.publishedAt(), latest);
        time(violations, "observedAt", post.observedAt(), latest);
        return violations;
    }

    /** Why {@code time} cannot be a post's {@code observedAt}, if it cannot: for a reader that has a time before a post. */
    public Optional<Violation> observedAt(Instant time) {
        List<Violation> violations = new ArrayList<>(1);
        time(violations, "observedAt", time, latest());
        return violations.stream().findFirst();
    }

    /** The violations as one reason, for a dead letter. */
    public static String reason(List<Violation> violations) {
        return "out of bounds: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    private Instant latest() {
        if (maxSkew == null) {
            return Limits.LATEST;
        }
        Instant ahead = clock.instant().plus(maxSkew);
        return ahead.isBefore(Limits.LATEST) ? ahead : Limits.LATEST;
    }

    private void time(List<Violation> violations, String field, Instant time, Instant latest) {
        if (time.isBefore(earliest)) {
            violations.add(new Violation(field, "is " + time + ", before the earliest accepted event time " + earliest
                    + " (ingest.limits.earliest)"));
        } else if (time.isAfter(latest)) {
            violations.add(new Violation(field, "is " + time + (latest.equals(Limits.LATEST)
                    ? ", after the latest event time the wire format holds, " + Limits.LATEST
                    : ", more than " + maxSkew + " ahead of ingest's clock at " + latest.minus(maxSkew)
                            + " (ingest.limits.maxSkew)")));
        }
    }
}
