package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays an archive through ingest, classifier and escalation, in a topic namespace of its own, "
                + "and writes every severity change, notification and tracking checkpoint to a JSON Lines file.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "jsonl|weibo-ced", converter = FormatConverter.class,
            description = "Archive format: jsonl (the project's own, see README) or weibo-ced (the CED dataset layout).")
    ArchiveFormat format;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "The archive: a file or a directory.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the events, one JSON object per line.")
    Path output;

    @Option(names = "--namespace", paramLabel = "PREFIX", description = "Topic namespace (prefix) of the replay. Default: a fresh one, replay-<time>-<id>.")
    String namespace;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        var config = cluster.load().inNamespace(namespace != null ? namespace : Replay.freshNamespace());
        try (var c = cluster.cluster(config);
             StageMetrics metrics = StageMetrics.start(c.config(), false)) {
            System.out.println("Replaying " + input + " in namespace '" + config.topics().prefix() + "'...");
            Replay.Result result = Replay.run(c.config(), format, input, metrics, r -> { });
            Replay.writeJsonLines(result.events(), output);
            System.out.printf("Published %d post snapshots (%d rejected to posts.dlq) from %s to %s.%n",
                    result.ingest().published(), result.ingest().rejected(), result.ingest().firstEventTime(), result.ingest().lastEventTime());
            System.out.printf("Wrote %d events to %s: %d severity changes, %d notifications, %d tracking checkpoints. Wall time %.1f s.%n",
                    result.events().size(), output, result.count("incidents.severity"), result.count("notifications"),
                    result.count("tracking"), result.wallTime().toMillis() / 1000.0);
        }
        return 0;
    }
}
