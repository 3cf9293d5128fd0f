package org.opinionwatch.launcher.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a long-lived stage until Ctrl-C or SIGTERM, and lets it close fully before the JVM ends. */
final class UntilStopped {
    /** A stage that starts, waits on {@code stop}, then closes what it started. */
    interface Stage {
        void run(CountDownLatch stop) throws Exception;
    }

    private UntilStopped() {
    }

    static int run(Stage stage) throws Exception {
        // A signal runs the shutdown hooks, then the JVM ends: the hook waits until the stage has closed, so that
        // what was sent is flushed and state is committed.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            stage.run(stop);
            return 0;
        } finally {
            closed.countDown();
        }
    }
}
