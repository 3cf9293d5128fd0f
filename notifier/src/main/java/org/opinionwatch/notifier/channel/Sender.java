package org.opinionwatch.notifier.channel;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;
import org.opinionwatch.notifier.webhook.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one message on one channel: attempts until the channel takes it or refuses it, waiting by {@link Backoff}
 * (or as long as the service asked) between failed attempts, and keeping to the channel's {@link Pace}. There is no
 * limit on attempts: a notification must never be given up because its channel was down for a while.
 */
public final class Sender {
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

    private final Backoff backoff;
    private final Clock clock;
    private final DoubleSupplier random;

    /** @param random numbers in [0, 1) for the jitter */
    public Sender(Backoff backoff, Clock clock, DoubleSupplier random) {
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
    }

    /**
     * How a delivery ended.
     *
     * @param delivered true when taken, false for a refusal
     * @param lastStatus the status of the last attempt (HTTP, or the SMTP reply code)
     * @param reason the refusal, or for a delivery how the last failed attempt failed (null if none failed)
     */
    public record Result(boolean delivered, int attempts, Integer lastStatus, String reason, Instant firstAttemptAt,
                         Instant finishedAt) {
    }

    /**
     * Attempts until delivered or refused.
     *
     * @param cancel counted down when this delivery is no longer this sender's to make (its partition went to another
     *     notifier): the wait for the next attempt ends at once
     * @param attempted told of every attempt, for meters
     * @return the result, or empty when cancelled before it was delivered or refused
     * @throws InterruptedException when the notifier closes meanwhile; the notification is delivered by the next run
     */
    public Optional<Result> deliver(Channel channel, Message message, CountDownLatch cancel, Consumer<Attempt> attempted)
            throws InterruptedException {
        Instant first = null;
        String lastFailure = null;
        for (int attempts = 1; ; attempts++) {
            for (Duration wait = channel.pace().reserve(clock.instant()); !wait.isZero(); wait = channel.pace().reserve(clock.instant())) {
                if (cancel.await(wait.toNanos(), NANOSECONDS)) {
                    return Optional.empty();
                }
            }
            first = first == null ? clock.instant() : first;
            Attempt attempt = channel.send(message);
            attempted.accept(attempt);
            if (attempt.kind() == Attempt.Kind.DELIVERED) {
                return Optional.of(new Result(true, attempts, attempt.status(), lastFailure, first, clock.instant()));
            }
            if (attempt.kind() == Attempt.Kind.REFUSED) {
                return Optional.of(new Result(false, attempts, attempt.status(), attempt.reason(), first, clock.instant()));
            }
            lastFailure = attempt.reason();
            Duration wait = backoff.next(attempts, attempt.retryAfter(), random.getAsDouble());
            LOG.warn("Notification {} on {}: attempt {} failed ({}), next in {} ms", message.notification().id(), channel, attempts,
                    lastFailure, wait.toMillis());
            if (cancel.await(wait.toNanos(), NANOSECONDS)) {
                return Optional.empty();
            }
        }
    }
}
