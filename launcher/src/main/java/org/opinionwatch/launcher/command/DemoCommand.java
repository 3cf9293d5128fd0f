package org.opinionwatch.launcher.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.replay.Speed;
import org.opinionwatch.launcher.report.ReportFiles;
import org.opinionwatch.launcher.report.RunReport;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.launcher.replay.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a broker and the stages (the notifier too, with no webhooks: it records every notification as "
                + "skipped), replays the bundled sample of real Weibo incidents (CED dataset), and prints what the emergency "
                + "plan would have done, incident by incident. Each stage serves its metrics on its configured port.")
public final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "samples/weibo-ced";

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write the replay's report: report.html (charts and timelines) and report.json (see replay --report).")
    Path report;

    @Option(names = "--keep-running", description = "Keep the broker, the stages and their metrics endpoints up after the "
            + "replay until Ctrl-C, for Prometheus and Grafana to look at.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        return UntilStopped.run(this::run);
    }

    private void run(UntilStopped.Running running) throws IOException {
        Path sample = extractSample();
        var config = cluster.load().inNamespace(Replay.freshNamespace());
        try (var c = cluster.cluster(config);
             StageMetrics metrics = StageMetrics.start(c.config(), true);
             Notifier notifier = Notifier.start(c.config(), metrics.notifier().registry())) {
            metrics.notifier().bind(notifier.clientMetrics());
            System.out.println("Replaying the bundled sample: real Weibo incidents from the CED dataset "
                    + "(Song et al., arXiv:1811.04175), every reaction at its own time...");
            Replay.run(c.config(), ArchiveFormat.WEIBO_CED, sample, metrics, result -> {
                Timeline.print(result.events(), System.out);
                System.out.printf("%nDone in %.1f s: %d post snapshots replayed (%d rejected to posts.dlq), %d severity changes, "
                                + "%d notifications, %d tracking checkpoints. Times are Beijing time.%n",
                        result.wallTime().toMillis() / 1000.0, result.ingest().published(), result.ingest().rejected(),
                        result.count("incidents.severity"), result.count("notifications"), result.count("tracking"));
                if (report != null) {
                    RunReport.Run run = new RunReport.Run(SAMPLE, ArchiveFormat.WEIBO_CED.id(), c.config().topics().prefix(),
                            Speed.MAX.toString(), cluster.config == null ? "defaults" : cluster.config.toString(),
                            result.ingest().firstEventTime(), result.ingest().lastEventTime(), result.ingest().published());
                    ZoneId zone = ZoneId.of(c.config().escalation().zone());
                    ReportFiles.write(RunReport.build(run, result.ingest().rejected(), Replay.reportEvents(c.config()), zone), report, zone,
                            c.config().escalation().locale());
                    System.out.println("Report: " + report.resolve(ReportFiles.HTML));
                }
                if (keepRunning) {
                    System.out.printf("Metrics: ingest http://localhost:%d/metrics, classifier http://localhost:%d/metrics, "
                                    + "escalation http://localhost:%d/metrics, notifier http://localhost:%d/metrics (Ctrl-C to stop)%n",
                            metrics.ingest().port(), metrics.classifier().port(), metrics.escalation().port(), metrics.notifier().port());
                    awaitStop(running);
                }
            });
        } finally {
            deleteTree(sample);
        }
    }

    /** Until Ctrl-C; an interrupt ends the wait too, and stays set for the caller. */
    private static void awaitStop(UntilStopped.Running running) {
        try {
            running.await(() -> null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sample travels inside the jar; the archive reader wants a directory, so it is copied out first. */
    static Path extractSample() throws IOException {
        var readme = DemoCommand.class.getClassLoader().getResource(SAMPLE + "/README.md");
        if (readme == null) {
            throw new IllegalStateException("the bundled sample " + SAMPLE + " is missing from the classpath");
        }
        URI uri;
        try {
            uri = readme.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = Files.createTempDirectory("opinion-watch-sample");
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyTree(jar.getPath(SAMPLE), target);
            }
        } else {
            copyTree(Path.of(uri).getParent(), target);
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
