package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import picocli.CommandLine.Option;

/**
 * Options of a command that works on a running cluster, which it must be told (no embedded broker: there would be
 * nothing to read or no classifier to reach): the config file, and the cluster.
 */
public final class RunningClusterOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults (see README).")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true, description = "The running Kafka cluster.")
    String bootstrap;

    /** The config file's settings (or the defaults), on the given cluster. */
    OpinionWatchConfig load() {
        return ConfigLoader.load(config).withBootstrapServers(bootstrap);
    }
}
