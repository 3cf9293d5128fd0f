package org.opinionwatch.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpeedTest {
    @Test
    void maxOrAPositiveFactorOfRealTime() {
        assertTrue(Speed.parse("max").isMax());
        assertTrue(Speed.parse(" MAX ").isMax());
        assertEquals(3600, Speed.parse("3600").factor());
        assertEquals(0.5, Speed.parse("0.5").factor());
        assertEquals("3600x", Speed.parse("3600").toString());
        assertEquals("0.5x", Speed.parse("0.5").toString());
        assertEquals("max", Speed.MAX.toString());
    }

    @Test
    void anythingElseIsRefusedWithWhatWasGiven() {
        for (String wrong : new String[] {"fast", "0", "-60", "NaN", "Infinity", "", "60x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Speed.parse(wrong), wrong);
            assertEquals("expected max or a positive factor of real time (3600: an archive hour per second), not '" + wrong + "'",
                    e.getMessage());
        }
    }

    @Test
    void archiveTimeRunsFactorTimesFasterThanTheWallClock() {
        assertEquals(Duration.ofSeconds(1), Speed.parse("3600").wallTimeOf(Duration.ofHours(1)));
        assertEquals(Duration.ofHours(2), Speed.parse("0.5").wallTimeOf(Duration.ofHours(1)));
        assertEquals(Duration.ZERO, Speed.MAX.wallTimeOf(Duration.ofDays(1000)));
    }
}
