package org.opinionwatch.launcher.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a long-lived stage until Ctrl-C or SIGTERM, and lets it close fully before the JVM ends; or until the stage
 * fails on its own (its Kafka client stopped, a thread died of an uncaught exception): then the command ends with
 * {@link StageFailed}, which exits with status 1 and one line that says why, so that a supervisor restarts it.
 */
final class UntilStopped {
    /** How often a running stage's health is looked at. */
    private static final long CHECK_EVERY_MS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(UntilStopped.class);

    /** A stage that starts, waits on {@link Running#await}, then closes what it started. */
    interface Stage {
        void run(Running running) throws Exception;
    }

    /** A stage that stopped working while it ran: the command's error, with the reason. */
    static final class StageFailed extends RuntimeException {
        StageFailed(String message) {
            super(message);
        }
    }

    /** What a running stage waits on: a signal to stop, or a failure of its own. */
    static final class Running {
        private final CountDownLatch stop = new CountDownLatch(1);
        private volatile String failure;

        /**
         * Waits until Ctrl-C or SIGTERM.
         *
         * @param health why the stage no longer works, or null while it does; asked every {@value #CHECK_EVERY_MS} ms
         * @throws StageFailed when {@code health} reports a failure, or a thread died of an uncaught exception
         */
        void await(Supplier<String> health) throws InterruptedException {
            while (!stop.await(CHECK_EVERY_MS, TimeUnit.MILLISECONDS)) {
                String unhealthy = health.get();
                if (unhealthy != null) {
                    failure = unhealthy;
                    break;
                }
            }
            if (failure != null) {
                throw new StageFailed(failure + "; exiting so that it is restarted");
            }
        }

        void fail(String why) {
            failure = why;
            stop.countDown();
        }

        void stop() {
            stop.countDown();
        }
    }

    private UntilStopped() {
    }

    static int run(Stage stage) throws Exception {
        // A signal runs the shutdown hooks, then the JVM ends: the hook waits until the stage has closed, so that
        // what was sent is flushed and state is committed.
        Running running = new Running();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            running.stop();
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        // A thread that dies of an exception nobody handles leaves a stage half working and its metrics served: it stops.
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            LOG.error("thread {} died of an uncaught exception", thread.getName(), e);
            running.fail("thread " + thread.getName() + " died of an uncaught exception: " + e);
        });
        try {
            stage.run(running);
            return 0;
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            closed.countDown();
            removeHook(hook);
        }
    }

    /** The hook of a stage that ended on its own; during a shutdown the JVM refuses, and the hook is running anyway. */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }
}
