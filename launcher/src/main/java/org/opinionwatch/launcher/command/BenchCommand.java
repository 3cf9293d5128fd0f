package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures throughput and latency on a synthetic load: raw Kafka producer to consumer, pass-through "
                + "Kafka Streams applications (of bytes, and of posts read and written as JSON), the classifier, the whole "
                + "pipeline, and classifier plus escalation end to end at several offered rates, and with --archive a real "
                + "archive's replay beside them; prints the figures, their ratios and today's targets. See BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {
    /** The bench sets these itself: each phase has its own application id and state directory. */
    private static final Set<String> RESERVED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG);
    /** Prefixes under which Kafka Streams passes settings on to its clients and internal topics. */
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.TOPIC_PREFIX);

    @Option(names = "--posts", paramLabel = "N", defaultValue = "250000",
            description = "Post snapshots in the synthetic load (at least 100). Default: ${DEFAULT-VALUE}, some 13 s of "
                    + "the classifier per run on 2 cores: each measured phase should last 10 s at least.")
    int posts;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the synthetic load: the same seed and size give the same records. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--rates", paramLabel = "PERCENT[,PERCENT...]", split = ",", defaultValue = "25,50,75",
            description = "Offered rates of the end-to-end latency phase, in percent of the pipeline's measured throughput "
                    + "(classifier and escalation, which the phase runs). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Integer> rates;

    @Option(names = "--rate-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long each offered rate is kept up and timed (less if the load runs out), after "
                    + Bench.START_UP_SECONDS + " s at the same rate as the stages start, timed apart. Default: ${DEFAULT-VALUE}.")
    int rateSeconds;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "How many times each throughput phase (pass-throughs, classifier, pipeline) runs, interleaved, after "
                    + "a warm-up run: the report gives the median and the spread, and the ratios use the medians. "
                    + "Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--min-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the pass-throughs are kept busy at least, by copying the load as many times as needed; the "
                    + "report flags any measured run shorter than 10 s. Default: ${DEFAULT-VALUE}.")
    int minSeconds;

    @Option(names = "--burst-seconds", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the burst phase sends one story's snapshots, at 40%% of the classifier's measured "
                    + "throughput. Default: ${DEFAULT-VALUE}.")
    int burstSeconds;

    @Option(names = "--streams", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams setting over the stages' own, for every Streams phase alike (pass-through, "
                    + "classifier, escalation; not the archive's replay, which runs as replay does), e.g. --streams "
                    + "num.stream.threads=2. Repeatable.")
    Map<String, String> streams = Map.of();

    @Option(names = "--archive", paramLabel = "PATH",
            description = "An archive to replay in every round beside the throughput phases, as replay --publish-order "
                    + "partition replays it, e.g. the whole CED dataset: its time beside the pass-through's rate of the same "
                    + "run. With --archive-format.")
    Path archive;

    @Option(names = "--archive-format", paramLabel = "jsonl|weibo-ced", converter = FormatConverter.class,
            description = "The format of --archive, as replay's --format.")
    ArchiveFormat archiveFormat;

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
            Bench.run(c.config(), name, new Bench.Options(posts, seed, rates, Duration.ofSeconds(rateSeconds), streams, repeats,
                    Duration.ofSeconds(minSeconds), Duration.ofSeconds(burstSeconds),
                    archive == null ? null : new Bench.Archive(archiveFormat, archive)), System.out);
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
        if (repeats < 1 || repeats > 9) {
            throw new ParameterException(spec.commandLine(), "--repeats must be from 1 to 9, not " + repeats);
        }
        if (minSeconds < 1 || minSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--min-seconds must be from 1 to 600, not " + minSeconds);
        }
        if (rateSeconds < 1 || rateSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--rate-seconds must be from 1 to 600, not " + rateSeconds);
        }
        if (burstSeconds < 1 || burstSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--burst-seconds must be from 1 to 600, not " + burstSeconds);
        }
        if ((archive == null) != (archiveFormat == null)) {
            throw new ParameterException(spec.commandLine(), "--archive and --archive-format go together: the archive, and its format");
        }
        if (archive != null) {
            ArchiveOptions.require(spec, "--archive", archive);
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
