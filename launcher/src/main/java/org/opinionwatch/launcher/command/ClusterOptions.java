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
            description = "Kafka cluster to use. Without it, kafka.bootstrapServers if the config file or "
                    + "OW_KAFKA_BOOTSTRAP_SERVERS sets it; otherwise an embedded single-node broker is started for the run.")
    String bootstrap;

    OpinionWatchConfig load() {
        return ConfigLoader.load(config);
    }

    /**
     * The cluster to use: the one given on the command line, else the one the config file or the environment names
     * (a deployment sets OW_KAFKA_BOOTSTRAP_SERVERS and expects it to count), else a fresh embedded broker that the
     * caller closes.
     */
    Cluster cluster(OpinionWatchConfig config) {
        if (bootstrap != null) {
            return new Cluster(config.withBootstrapServers(bootstrap), null);
        }
        if (ConfigLoader.isSet(this.config, System.getenv(), "kafka.bootstrapServers")) {
            return new Cluster(config, null);
        }
        if (config.kafka().security().protocol() != OpinionWatchConfig.Security.Protocol.PLAINTEXT) {
            // The settings are meant for a secured cluster; the embedded broker is not it, and would refuse them.
            throw new IllegalStateException("kafka.security.protocol is " + config.kafka().security().protocol()
                    + " but no cluster is given (--bootstrap, kafka.bootstrapServers or OW_KAFKA_BOOTSTRAP_SERVERS), and the "
                    + "embedded broker takes PLAINTEXT clients only");
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
