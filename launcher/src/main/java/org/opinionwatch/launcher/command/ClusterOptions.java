package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import picocli.CommandLine.Option;

/** Options of every command that talks to a cluster: the config file, and a cluster or the embedded broker. */
public final class ClusterOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults (see README).")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka cluster to use. Without it an embedded single-node broker is started for the run.")
    String bootstrap;

    OpinionWatchConfig load() {
        return ConfigLoader.load(config);
    }

    /** The cluster to use: the given one, or a fresh embedded broker that the caller closes. */
    Cluster cluster(OpinionWatchConfig config) {
        if (bootstrap != null) {
            return new Cluster(config.withBootstrapServers(bootstrap), null);
        }
        System.out.println("Starting an embedded Kafka broker (KRaft, single node)...");
        EmbeddedKafka broker = EmbeddedKafka.start(null, 0);
        System.out.println("Broker ready at " + broker.bootstrapServers());
        return new Cluster(config.withBootstrapServers(broker.bootstrapServers()), broker);
    }

    record Cluster(OpinionWatchConfig config, EmbeddedKafka broker) implements AutoCloseable {
        @Override
        public void close() {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
