package org.opinionwatch.launcher.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.ingest.publish.PublishOrder;
import org.opinionwatch.launcher.backtest.Comparison;
import org.opinionwatch.launcher.backtest.ComparisonTable;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.replay.Speed;
import org.opinionwatch.launcher.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Replays one archive under two rule sets, each in a topic namespace of its own, and prints how the "
                + "second run differs from the first, incident by incident: levels first reached earlier or later (or "
                + "never), notifications added or missing, by duty and role. Judge a threshold change before it goes live.")
public final class BacktestCommand implements Callable<Integer> {
    @Mixin
    ArchiveOptions archive;

    @Option(names = "--rules", required = true, paramLabel = "RULES.yaml",
            description = "A rules file, as `opinion-watch rules --publish` takes it. Twice: run A under the first, B "
                    + "under the second. Once: A under the config's rules, B under the file's.")
    List<Path> rules;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the differences as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write each run's report: DIR/a and DIR/b (see replay --report).")
    Path report;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    /** One of the two runs: its label and its settings. */
    private record Variant(String label, OpinionWatchConfig config) {
    }

    @Override
    public Integer call() {
        OpinionWatchConfig settings = cluster.load();
        archive.require(spec);
        if (rules.size() > 2) {
            throw new ParameterException(spec.commandLine(), "--rules: one or two files, not " + rules.size());
        }
        // Every rules file is checked before anything starts: a mistake in B should not cost a replay of A first.
        List<Variant> variants = new ArrayList<>();
        if (rules.size() == 1) {
            variants.add(new Variant(cluster.config == null ? "the default rules" : "the rules of " + cluster.config, settings));
        }
        for (Path file : rules) {
            variants.add(new Variant(file.toString(), settings.withRules(ConfigLoader.loadRules(file, settings))));
        }
        ZoneId zone = ZoneId.of(settings.escalation().zone());
        List<RunReport> runs = new ArrayList<>();
        try (var c = cluster.cluster(settings)) {
            for (int i = 0; i < variants.size(); i++) {
                String name = i == 0 ? "a" : "b";
                Variant v = variants.get(i);
                OpinionWatchConfig config = archive.withOffice(v.config()).withBootstrapServers(c.config().kafka().bootstrapServers())
                        .inNamespace(Replay.freshNamespace());
                System.out.printf("Run %s under %s, in namespace '%s'...%n", name.toUpperCase(java.util.Locale.ROOT), v.label(),
                        config.topics().prefix());
                runs.add(replay(config, v.label(), zone, report == null ? null : report.resolve(name)));
            }
        }
        Comparison comparison = Comparison.of(runs.get(0), runs.get(1));
        System.out.println();
        ComparisonTable.print(comparison, zone, System.out);
        if (json != null) {
            try {
                Json.TOLERANT.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), comparison);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
            }
            System.out.println("\nWrote the differences to " + json + ".");
        }
        return 0;
    }

    private RunReport replay(OpinionWatchConfig config, String label, ZoneId zone, Path reportDir) {
        try (StageMetrics metrics = StageMetrics.start(config, false)) {
            // Built while the stages stop: the run's outputs are all read by then.
            return Replay.run(config, archive.format, archive.input, Speed.MAX, PublishOrder.TIME, ReplayCommand.progressBar(zone), metrics,
                    Replay.Stages.STOPPING, result -> ReplayCommand.summarize(archive, Speed.MAX, label, result, config, zone, reportDir));
        }
    }
}
