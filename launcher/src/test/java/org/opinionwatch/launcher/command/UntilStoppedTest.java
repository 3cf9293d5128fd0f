package org.opinionwatch.launcher.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UntilStoppedTest {
    @Test
    void aThreadThatDiesOfAnUncaughtExceptionEndsTheStageWithTheReasonAfterItClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        UntilStopped.StageFailed failed = assertThrows(UntilStopped.StageFailed.class, () -> UntilStopped.run(running -> {
            try {
                Thread poller = new Thread(() -> {
                    throw new IllegalStateException("the feed parser broke");
                }, "poller-1");
                poller.start();
                running.await(() -> null);
            } finally {
                closed.set(true);
            }
        }));

        assertEquals("thread poller-1 died of an uncaught exception: java.lang.IllegalStateException: the feed parser broke; "
                + "exiting so that it is restarted", failed.getMessage());
        assertEquals(true, closed.get(), "the stage closed what it started first");
    }

    @Test
    void aStageThatReportsAFailureEndsWithIt() {
        UntilStopped.StageFailed failed = assertThrows(UntilStopped.StageFailed.class,
                () -> UntilStopped.run(running -> running.await(() -> "the notifier stopped working: fenced")));

        assertEquals("the notifier stopped working: fenced; exiting so that it is restarted", failed.getMessage());
    }
}
