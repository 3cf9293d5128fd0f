package org.opinionwatch.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

class PaceTest {
    private static final Instant T0 = Instant.parse("2013-06-06T14:02:15Z");

    /** A clock that moves only when the pace sleeps, or when the test says that sending took time. */
    static final class FakeClock implements Pace.WallClock {
        long now = 1_000_000_000L;
        final List<Duration> slept = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            slept.add(duration);
            now += duration.toNanos();
        }
    }

    private static Post at(Duration sinceStart) {
        return new Post("p", "s", null, "", "", "", T0, T0.plus(sinceStart), Engagement.ZERO, false, null);
    }

    @Test
    void eachSnapshotWaitsUntilWallTimeTimesTheFactorReachesItsEventTime() {
        FakeClock clock = new FakeClock();
        Pace pace = new Pace(Speed.parse("3600"), clock);
        List<Post> posts = List.of(at(Duration.ZERO), at(Duration.ofHours(1)), at(Duration.ofHours(1)), at(Duration.ofHours(3)));
        pace.read(posts);

        pace.sending(posts.get(0));
        pace.sending(posts.get(1));
        pace.sending(posts.get(2));
        clock.now += Duration.ofMillis(500).toNanos(); // sending took half a second: the next wait is that much shorter
        pace.sending(posts.get(3));

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofMillis(1500)), clock.slept);
    }

    @Test
    void aSnapshotWhoseTimeHasComeIsNotHeldBack() {
        FakeClock clock = new FakeClock();
        Pace pace = new Pace(Speed.parse("60"), clock);
        pace.read(List.of(at(Duration.ZERO)));
        clock.now += Duration.ofSeconds(10).toNanos();

        assertEquals(Duration.ZERO, pace.waitBefore(T0.plus(Duration.ofMinutes(10))));
        assertEquals(Duration.ofSeconds(10), pace.waitBefore(T0.plus(Duration.ofMinutes(20))));
    }

    @Test
    void atMaxSpeedNothingWaits() {
        FakeClock clock = new FakeClock();
        Pace pace = new Pace(Speed.MAX, clock);
        pace.read(List.of(at(Duration.ZERO), at(Duration.ofDays(400))));
        pace.sending(at(Duration.ZERO));
        pace.sending(at(Duration.ofDays(400)));
        assertEquals(List.of(), clock.slept);
    }
}
