package org.opinionwatch.ingest.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the fetcher; validated by the caller's config loader, so only sanity-checked here.
 *
 * @param userAgent       sent with every request; its leading product token ("OpinionWatch") is the name under
 *                        which robots.txt groups are looked up
 * @param connectTimeout  how long opening a connection may take
 * @param requestTimeout  how long one attempt may take, headers and body together
 * @param maxAttempts     attempts per fetch, the first included, for failures worth retrying
 * @param initialBackoff  the wait before the second attempt; it doubles for each further one
 * @param perHostInterval the least time between the starts of two requests to one site; zero turns politeness off
 * @param obeyRobots      whether robots.txt is consulted
 * @param maxBodyBytes    the largest body accepted; a body is held in memory, so at most 2 GiB
 */
public record FetchSettings(String userAgent, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                            Duration initialBackoff, Duration perHostInterval, boolean obeyRobots, long maxBodyBytes) {

    /** Byte arrays cannot be longer; a few bytes are reserved by some JVMs. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    public FetchSettings {
        if (Objects.requireNonNull(userAgent, "userAgent").isBlank()) {
            throw new IllegalArgumentException("userAgent is blank");
        }
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        notNegative(initialBackoff, "initialBackoff");
        notNegative(perHostInterval, "perHostInterval");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + MAX_ARRAY_BYTES + ", not " + maxBodyBytes);
        }
    }

    public static FetchSettings defaults() {
        return new FetchSettings("OpinionWatch/0.1 (+https://github.com/opinion-watch)", Duration.ofSeconds(5),
                Duration.ofSeconds(15), 3, Duration.ofMillis(500), Duration.ofSeconds(1), true, 8L * 1024 * 1024);
    }

    private static void positive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    private static void notNegative(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
    }
}
