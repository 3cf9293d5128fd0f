package org.opinionwatch.notifier.webhook;

import java.time.Duration;

/**
 * How long to wait before the next attempt: {@code initial} after the first failure, doubling with each further one
 * up to {@code max}, of which a random part. The jitter spreads the retries of many notifications (and of several
 * notifier instances) so that an endpoint coming back is not hit by all of them at the same instant.
 */
public record Backoff(Duration initial, Duration max) {

    /**
     * "Equal jitter": between half the exponential delay and all of it, so that the wait still grows with the failures.
     *
     * @param failures failed attempts so far, 1 or more
     * @param random a number in [0, 1)
     */
    public Duration delay(int failures, double random) {
        long cap = max.toNanos();
        long base = Math.min(initial.toNanos(), cap);
        for (int i = 1; i < failures && base < cap; i++) {
            base = base > cap / 2 ? cap : base * 2; // compared before doubling, so it cannot overflow
        }
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random * (base - half)));
    }

    /**
     * The wait after a failed attempt: what the server asked for in {@code Retry-After} if it did, but not less than
     * {@code initial} (a "0" must not make a busy loop) nor more than {@code max}; otherwise {@link #delay}.
     *
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public Duration next(int failures, Duration retryAfter, double random) {
        if (retryAfter == null) {
            return delay(failures, random);
        }
        Duration wait = retryAfter.compareTo(initial) < 0 ? initial : retryAfter;
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
