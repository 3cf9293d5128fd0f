package org.opinionwatch.launcher.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.ArchiveListener;

/**
 * Holds each snapshot back until its time at the replay's {@link Speed}: the wall time since the first snapshot was
 * sent, times the factor, must reach the snapshot's event time since the archive's first. Only when it is sent
 * changes; what is sent and in which order never does.
 */
final class Pace implements ArchiveListener {
    /** The wall clock, and waiting on it: the system's, or a test's. */
    interface WallClock {
        WallClock SYSTEM = new WallClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            }
        };

        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;
    }

    private final Speed speed;
    private final WallClock clock;
    private Instant archiveStart;
    private long wallStart;

    Pace(Speed speed, WallClock clock) {
        this.speed = speed;
        this.clock = clock;
    }

    @Override
    public void read(List<Post> posts) {
        archiveStart = posts.isEmpty() ? null : posts.get(0).observedAt();
        wallStart = clock.nanoTime();
    }

    @Override
    public void sending(Post post) {
        Duration wait = waitBefore(post.observedAt());
        if (wait.isZero()) {
            return;
        }
        try {
            clock.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted while waiting for " + post.observedAt(), e);
        }
    }

    /** How long to wait, now, before sending a snapshot of {@code eventTime}: zero if its time has come. */
    Duration waitBefore(Instant eventTime) {
        Duration due = speed.wallTimeOf(Duration.between(archiveStart, eventTime));
        Duration wait = due.minusNanos(clock.nanoTime() - wallStart);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
