package org.opinionwatch.notifier.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaceTest {
    private static final Instant T = Instant.parse("2024-05-01T09:00:00Z");

    @Test
    void twentyAMinuteThenTheNextWhenTheFirstLeavesTheWindowWithAMarginForTheWay() {
        Pace pace = new Pace(20, 0);
        for (int i = 0; i < 20; i++) {
            assertEquals(Duration.ZERO, pace.reserve(T.plusSeconds(i)), "message " + (i + 1));
        }
        assertEquals(Duration.ofSeconds(42), pace.reserve(T.plusSeconds(20)), "the 21st waits for the first to be a minute (and 2 s) old");
        assertEquals(Duration.ZERO, pace.reserve(T.plusSeconds(62)));
        assertEquals(Duration.ofSeconds(1), pace.reserve(T.plusSeconds(62)), "and the next for the second");
    }

    @Test
    void fiveASecondWithinAHundredAMinute() {
        Pace pace = new Pace(100, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ZERO, pace.reserve(T.plusMillis(i)));
        }
        assertEquals(Duration.ofMillis(1245), pace.reserve(T.plusMillis(5)));
        assertEquals(Duration.ZERO, pace.reserve(T.plusMillis(1250)));
        assertEquals(Duration.ZERO, Pace.none().reserve(T));
    }
}
