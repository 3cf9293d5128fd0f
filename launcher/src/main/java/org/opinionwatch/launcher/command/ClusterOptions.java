package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options of every command that talks to a cluster: the config file, and the cluster. The commands of a run of their
 * own (demo, replay, backtest, bench) start an embedded broker when no cluster is named; the others refuse
 * ({@link #running}).
 */
public final class ClusterOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults (docs/configuration.md).")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka cluster to use. Without it, kafka.bootstrapServers if the config file or "
                    + "OW_KAFKA_BOOTSTRAP_SERVERS sets it; otherwise demo, replay, backtest and bench start an embedded "
                    + "single-node broker for the run, and the other commands refuse.")
    String bootstrap;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    OpinionWatchConfig load() {
        return ConfigLoader.load(config);
    }

    /**
     * The cluster of a run of its own: the one given on the command line, else the one the config file or the
     * environment names (a deployment sets OW_KAFKA_BOOTSTRAP_SERVERS and expects it to count), else a fresh embedded
     * broker that the caller closes.
     */
    Cluster cluster(OpinionWatchConfig config) {
        OpinionWatchConfig named = named(config);
        if (named != null) {
            return new Cluster(named, null);
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

    /**
     * {@code config} on the cluster the command line, the config file or the environment names. A stage or a tool
     * that works on the pipeline's cluster refuses to go on without one: a broker of its own would vanish with it, and
     * a default address could be someone else's cluster.
     *
     * @throws ParameterException when none names a cluster
     */
    OpinionWatchConfig running(OpinionWatchConfig config) {
        OpinionWatchConfig named = named(config);
        if (named == null) {
            throw new ParameterException(spec.commandLine(), "no Kafka cluster given: pass --bootstrap HOST:PORT, or set "
                    + "kafka.bootstrapServers in the --config file or OW_KAFKA_BOOTSTRAP_SERVERS in the environment "
                    + "(only demo, replay, backtest and bench start an embedded broker of their own)");
        }
        return named;
    }

    private OpinionWatchConfig named(OpinionWatchConfig config) {
        if (bootstrap != null) {
            return config.withBootstrapServers(bootstrap);
        }
        return ConfigLoader.isSet(this.config, System.getenv(), "kafka.bootstrapServers") ? config : null;
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
