package org.opinionwatch.notifier.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void doublesWithEachFailureUpToTheCapWithHalfOfItRandom() {
        assertEquals(Duration.ofMillis(500), backoff.delay(1, 0.0));
        assertEquals(Duration.ofMillis(1000), backoff.delay(1, 1.0));
        assertEquals(Duration.ofMillis(1000), backoff.delay(2, 0.0));
        assertEquals(Duration.ofMillis(6000), backoff.delay(4, 0.5), "8 s: half fixed, half random");
        assertEquals(Duration.ofSeconds(150), backoff.delay(10, 0.0), "512 s is capped at 5 min");
        assertEquals(Duration.ofMinutes(5), backoff.delay(1_000_000, 1.0), "a notifier retrying for days does not overflow");
        Random random = new Random(42);
        for (int failures = 1; failures <= 20; failures++) {
            Duration exponential = Duration.ofSeconds(Math.min(1L << (failures - 1), 300));
            Duration d = backoff.delay(failures, random.nextDouble());
            assertTrue(d.compareTo(exponential.dividedBy(2)) >= 0 && d.compareTo(exponential) <= 0, failures + ": " + d);
        }
    }

    @Test
    void retryAfterIsObeyedWithinTheInitialWaitAndTheCap() {
        assertEquals(Duration.ofSeconds(30), backoff.next(1, Duration.ofSeconds(30), 0.0));
        assertEquals(Duration.ofSeconds(1), backoff.next(7, Duration.ZERO, 0.0), "\"Retry-After: 0\" must not make a busy loop");
        assertEquals(Duration.ofMinutes(5), backoff.next(1, Duration.ofHours(2), 0.0));
        assertEquals(backoff.delay(3, 0.3), backoff.next(3, null, 0.3));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2024-05-01T09:00:00Z");
        assertEquals(Duration.ofSeconds(120), WebhookClient.retryAfter(" 120 ", now));
        assertEquals(Duration.ofSeconds(90), WebhookClient.retryAfter("Wed, 01 May 2024 09:01:30 GMT", now));
        assertEquals(Duration.ZERO, WebhookClient.retryAfter("Wed, 01 May 2024 08:00:00 GMT", now), "a date in the past: now");
        assertNull(WebhookClient.retryAfter("soon", now));
    }
}
