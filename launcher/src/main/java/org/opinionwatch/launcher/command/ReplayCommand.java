package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.ingest.publish.PublishOrder;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.ProgressBar;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.replay.Speed;
import org.opinionwatch.launcher.report.BudgetText;
import org.opinionwatch.launcher.report.ReportFiles;
import org.opinionwatch.launcher.report.RunReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays an archive through ingest, classifier and escalation, in a topic namespace of its own, "
                + "shows its progress on standard error, and prints a summary. Optionally writes every severity change, "
                + "notification and tracking checkpoint to a JSON Lines file, and a report (HTML and JSON).")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ArchiveOptions archive;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the events, one JSON object per line.")
    Path output;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Where to write report.html (charts and timelines, one self-contained file) and report.json.")
    Path report;

    @Option(names = "--speed", paramLabel = "max|FACTOR", defaultValue = "max", converter = SpeedConverter.class,
            description = "max (the default), or how many times faster than real time the archive's clock runs "
                    + "(3600: an archive hour per second). The outputs are the same at any speed.")
    Speed speed;

    @Option(names = "--publish-order", paramLabel = "time|partition", defaultValue = "time", converter = PublishOrderConverter.class,
            description = "time (the default): the posts in event time; partition: each posts.raw partition's posts whole, one "
                    + "partition after the other, the worst skew a backlog can have (with --speed max only).")
    PublishOrder publishOrder;

    @Option(names = "--namespace", paramLabel = "PREFIX", description = "Topic namespace (prefix) of the replay. Default: a fresh one, replay-<time>-<id>.")
    String namespace;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    /** {@code time} or {@code partition}, as they are written on the command line. */
    static final class PublishOrderConverter implements CommandLine.ITypeConverter<PublishOrder> {
        @Override
        public PublishOrder convert(String value) {
            try {
                return PublishOrder.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a publish order: time or partition");
            }
        }
    }

    @Override
    public Integer call() {
        OpinionWatchConfig settings = cluster.load();
        archive.require(spec);
        if (publishOrder == PublishOrder.PARTITION && !speed.isMax()) {
            // Paced, the archive's clock would run once per partition.
            throw new CommandLine.ParameterException(spec.commandLine(), "--publish-order partition runs at --speed max only, not " + speed);
        }
        var config = archive.withOffice(settings).inNamespace(namespace != null ? namespace : Replay.freshNamespace());
        ZoneId zone = ZoneId.of(config.escalation().zone());
        try (var c = cluster.cluster(config);
             StageMetrics metrics = StageMetrics.start(c.config(), false)) {
            System.out.println("Replaying " + archive.input + " at speed " + speed + " in namespace '" + config.topics().prefix() + "'...");
            // Summed up while the stages stop: the run's outputs are all read by then.
            Replay.run(c.config(), archive.format, archive.input, speed, publishOrder, progressBar(zone), metrics, Replay.Stages.STOPPING,
                    result -> finish(result, c.config(), zone));
        }
        return 0;
    }

    /** Writes the events, sums the run up and prints the summary; {@code config} is the run's, with its cluster. */
    private RunReport finish(Replay.Result result, OpinionWatchConfig config, ZoneId zone) {
        // The events are written while the run is summed up: neither needs the other.
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(result), task -> new Thread(task, "replay-output").start());
        RunReport summary = summarize(archive, speed, cluster.config == null ? "defaults" : cluster.config.toString(), result,
                config, zone, report);
        Replay.join(writing);
        System.out.printf("Published %,d post snapshots (%,d rejected to posts.dlq) from %s to %s in %.1f s.%n",
                result.ingest().published(), result.ingest().rejected(), result.ingest().firstEventTime(),
                result.ingest().lastEventTime(), result.wallTime().toMillis() / 1000.0);
        if (output != null) {
            System.out.printf("Wrote %,d events to %s: %,d severity changes, %,d notifications, %,d tracking checkpoints.%n",
                    result.events().size(), output, result.count("incidents.severity"), result.count("notifications"),
                    result.count("tracking"));
        }
        if (report != null) {
            System.out.println("Wrote the report to " + report.resolve(ReportFiles.HTML) + " and " + report.resolve(ReportFiles.JSON) + ".");
        }
        System.out.println("Summary: " + summary.summary().text() + ".");
        System.out.print(BudgetText.of(summary.budget(), archive.office));
        return summary;
    }

    /** Writes the events, if asked. */
    private void write(Replay.Result result) {
        if (output != null) {
            Replay.writeJsonLines(result.events(), output);
        }
    }

    /**
     * Sums a run of {@code archive} up and writes its report into {@code reportDir}, if given (null: none); {@code
     * rules} names the rules it ran with, {@code config} is the run's, with its cluster, and {@code zone} its
     * escalation's. A report reads the run's topics whole, incident states and actions too; a summary alone makes do
     * with the result.
     */
    static RunReport summarize(ArchiveOptions archive, Speed speed, String rules, Replay.Result result, OpinionWatchConfig config,
                               ZoneId zone, Path reportDir) {
        RunReport.Run run = new RunReport.Run(archive.input.toString(), archive.format.id(), config.topics().prefix(), speed.toString(),
                rules, result.ingest().firstEventTime(), result.ingest().lastEventTime(), result.ingest().published());
        RunReport summary = RunReport.build(run, result.ingest().rejected(),
                reportDir != null ? Replay.reportEvents(config) : concat(result.events(), result.cases()), zone);
        if (reportDir != null) {
            ReportFiles.write(summary, reportDir, zone, config.escalation().locale());
        }
        return summary;
    }

    private static <T> java.util.List<T> concat(java.util.List<T> a, java.util.List<T> b) {
        java.util.List<T> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** On a terminal, redrawn in place; elsewhere (a log, CI), a line now and then. */
    static ProgressBar progressBar(ZoneId zone) {
        return new ProgressBar(System.err, System.console() != null, zone, System::nanoTime);
    }
}
