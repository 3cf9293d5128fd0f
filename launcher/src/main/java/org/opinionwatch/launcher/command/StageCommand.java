package org.opinionwatch.launcher.command;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.runtime.streams.StreamsSettings;
import picocli.CommandLine.Mixin;

/**
 * A command that runs one long-lived stage against the pipeline's cluster, which it must be given, until Ctrl-C or
 * SIGTERM, or until the stage fails on its own ({@link UntilStopped}): the topics are created if missing, then the
 * stage runs, and closes fully before the JVM ends.
 */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    /** Starts the stage, waits on {@code running}, closes what it started. */
    abstract void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception;

    @Override
    public Integer call() throws Exception {
        OpinionWatchConfig config = cluster.running(cluster.load());
        return UntilStopped.run(running -> {
            TopicSetup.create(config, false);
            run(config, running);
        });
    }

    /** The config file the stage was started with, for errors that name it. */
    String origin() {
        return cluster.config == null ? "defaults" : cluster.config.toString();
    }

    /** A Streams stage's health for {@link UntilStopped.Running#await}: its client failed, or was stopped by something else. */
    static Supplier<String> health(String stage, KafkaStreams streams) {
        return () -> {
            String failure = StreamsSettings.failure(streams);
            return failure == null ? null : "the " + stage + " stopped working: " + failure + " (its error is logged above)";
        };
    }
}
