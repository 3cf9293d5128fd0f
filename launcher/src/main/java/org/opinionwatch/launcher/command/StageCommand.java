package org.opinionwatch.launcher.command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.launcher.pipeline.Pipeline;
import picocli.CommandLine.Mixin;

/**
 * A command that runs one long-lived stage against a cluster (given, or an embedded broker) until Ctrl-C or SIGTERM:
 * the topics are created if missing, then the stage runs, and closes fully before the JVM ends.
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    /** Starts the stage, waits on {@code stop}, closes what it started. */
    abstract void run(OpinionWatchConfig config, CountDownLatch stop) throws Exception;

    @Override
    public Integer call() throws Exception {
        return UntilStopped.run(stop -> {
            try (var c = cluster.cluster(cluster.load())) {
                TopicSetup.create(c.config(), false);
                run(c.config(), stop);
            }
        });
    }

    /** The config file the stage was started with, for errors that name it. */
    String origin() {
        return cluster.config == null ? "defaults" : cluster.config.toString();
    }
}
