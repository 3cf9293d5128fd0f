package org.opinionwatch.launcher.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.launcher.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures throughput and latency on a synthetic load: raw Kafka producer to consumer, a pass-through "
                + "Kafka Streams application, the classifier, and classifier plus escalation end to end at several "
                + "offered rates; prints the figures and their ratios. See BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {
    /** The bench sets these itself: each phase has its own application id and state directory. */
    private static final Set<String> RESERVED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG);
    /** Prefixes under which Kafka Streams passes settings on to its clients and internal topics. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.TOPIC_PREFIX);

    @Option(names = "--posts", paramLabel = "N", defaultValue = "30000",
            description = "Post snapshots in the synthetic load (at least 100). Default: ${DEFAULT-VALUE}, about 80 s "
                    + "for the whole bench on 2 quiet cores.")
    int posts;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the synthetic load: the same seed and size give the same records. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--rates", paramLabel = "PERCENT[,PERCENT...]", split = ",", defaultValue = "25,50,75",
            description = "Offered rates of the end-to-end latency phase, in percent of the classifier's measured throughput. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Integer> rates;

    @Option(names = "--rate-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long each offered rate is kept up (less if the load runs out). Default: ${DEFAULT-VALUE}.")
    int rateSeconds;

    @Option(names = "--streams", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams setting over the stages' own, for every Streams phase alike (pass-through, "
                    + "classifier, escalation), e.g. --streams num.stream.threads=2. Repeatable.")
    Map<String, String> streams = Map.of();

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        var config = cluster.load();
        try (var c = cluster.cluster(config)) {
            String name = c.broker() == null ? c.config().kafka().bootstrapServers() : "embedded broker in this JVM";
            Bench.run(c.config(), name, new Bench.Options(posts, seed, rates, Duration.ofSeconds(rateSeconds), streams), System.out);
        }
        return 0;
    }

    private void validate() {
        if (posts < 100) {
            throw new ParameterException(spec.commandLine(), "--posts must be at least 100 (fewer measure only start-up), not " + posts);
        }
        for (int rate : rates) {
            if (rate < 1 || rate > 1000) {
                throw new ParameterException(spec.commandLine(), "--rates are percentages from 1 to 1000, not " + rate);
            }
        }
        if (rateSeconds < 1 || rateSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--rate-seconds must be from 1 to 600, not " + rateSeconds);
        }
        for (String key : streams.keySet()) {
            if (RESERVED.contains(key)) {
                throw new ParameterException(spec.commandLine(), "--streams " + key + ": the bench sets it for each phase");
            }
            if (!StreamsConfig.configDef().names().contains(key) && CLIENT_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new ParameterException(spec.commandLine(), "--streams " + key + ": not a Kafka Streams setting");
            }
        }
    }
}
