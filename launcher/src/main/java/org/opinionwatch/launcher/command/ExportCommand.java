package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.launcher.export.PostsExport;
import org.opinionwatch.launcher.export.Selection;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes the posts of an incident, or of an event-time range, from a cluster's posts.raw back into a "
                + "JSON Lines archive that `replay --format jsonl` reads: today's incident becomes tomorrow's replay case. "
                + "posts.raw is read from its beginning to its end as the export starts.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--namespace", paramLabel = "PREFIX",
            description = "Topic namespace to read, such as a replay's. Default: the config's (topics.prefix; live: none).")
    String namespace;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--incident", paramLabel = "ID", description = "The incident: its original post, its reposts and "
                + "quotes, and the stories that joined it.")
        String incident;

        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, paramLabel = "ISO-INSTANT", converter = ActCommand.InstantConverter.class,
                description = "The posts observed from this instant (2024-05-01T00:00:00Z or 2024-05-01T08:00:00+08:00)...")
        Instant from;

        @Option(names = "--to", required = true, paramLabel = "ISO-INSTANT", converter = ActCommand.InstantConverter.class,
                description = "...to this one, not included.")
        Instant to;
    }

    @Option(names = "--output", required = true, paramLabel = "FILE[.gz]", description = "The archive to write; gzip-compressed if it ends in .gz.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OpinionWatchConfig settings = cluster.running(cluster.load());
        Topics topics = Topics.withPrefix(namespace != null ? namespace : settings.topics().prefix());
        Selection selection;
        if (what.incident != null) {
            if (what.incident.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--incident must not be empty");
            }
            List<OutputEvent> told;
            try {
                told = OutputReader.readAll(settings.kafka(), topics.prefix(), List.of(topics.incidents(), topics.severity()));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new IllegalStateException("no answer from the Kafka cluster at " + settings.kafka().bootstrapServers() + ": nothing was exported", e);
            }
            selection = Selection.incident(what.incident,
                    told.stream().filter(e -> e.topic().equals("incidents")).map(e -> e.as(IncidentState.class)).toList(),
                    told.stream().filter(e -> e.topic().equals("incidents.severity")).map(e -> e.as(SeverityChange.class)).toList());
        } else {
            try {
                selection = Selection.range(what.range.from, what.range.to);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        PostsExport.Result result = PostsExport.run(settings.kafka(), topics, selection, output);
        System.out.printf("Exported %,d snapshots of %,d posts, %s, from %s (%,d records read) to %s.%n", result.written(),
                result.posts(), selection.what(), topics.postsRaw().name(), result.read(), output);
        if (result.unreadable() > 0) {
            System.out.printf("Left out %,d records that are not post/1, the first at %s.%n", result.unreadable(), result.firstUnreadable());
        }
        if (result.written() == 0) {
            System.out.println("Nothing matched: the archive is empty.");
        }
        return 0;
    }
}
