package org.opinionwatch.notifier.webhook;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one notification to one webhook: attempts until the webhook takes it (2xx) or refuses it (4xx other than
 * 408 and 429), waiting by {@link Backoff} between failed attempts. There is no limit on attempts: a notification
 * must never be given up because its receiver was down for a while.
 */
public final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookClient client;
    private final Backoff backoff;
    private final Clock clock;
    private final DoubleSupplier random;

    /** @param random numbers in [0, 1) for the jitter */
    public WebhookSender(WebhookClient client, Backoff backoff, Clock clock, DoubleSupplier random) {
        this.client = client;
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
    }

    /**
     * How a delivery ended.
     *
     * @param delivered true for 2xx, false for a refusal
     * @param lastStatus the status of the last attempt
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
    public Optional<Result> deliver(Endpoint endpoint, String id, byte[] body, CountDownLatch cancel, Consumer<Attempt> attempted)
            throws InterruptedException {
        Instant first = clock.instant();
        String lastFailure = null;
        for (int attempts = 1; ; attempts++) {
            Attempt attempt = client.post(endpoint, id, body);
            attempted.accept(attempt);
            if (attempt.kind() == Attempt.Kind.DELIVERED) {
                return Optional.of(new Result(true, attempts, attempt.status(), lastFailure, first, clock.instant()));
            }
            if (attempt.kind() == Attempt.Kind.REFUSED) {
                return Optional.of(new Result(false, attempts, attempt.status(), attempt.reason(), first, clock.instant()));
            }
            lastFailure = attempt.reason();
            Duration wait = backoff.next(attempts, attempt.retryAfter(), random.getAsDouble());
            LOG.warn("Notification {} to {}: attempt {} failed ({}), next in {} ms", id, endpoint, attempts, lastFailure, wait.toMillis());
            if (cancel.await(wait.toNanos(), NANOSECONDS)) {
                return Optional.empty();
            }
        }
    }
}
