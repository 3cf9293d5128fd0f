package org.opinionwatch.launcher.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.ingest.ArchiveListener;
import org.opinionwatch.ingest.Ingest;
import org.opinionwatch.ingest.IngestReport;
import org.opinionwatch.ingest.ReadArchive;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.ingest.publish.PublishOrder;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.report.RunReport;

/**
 * Replays an archive through all three stages and collects every severity change, notification and tracking
 * checkpoint that it caused. Time is the archive's own: when the archive ends, the clock is advanced once more by
 * the tracking period so that every checkpoint the archive scheduled fires, as it would have in the live run.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * @param events the run's severity changes, notifications and tracking checkpoints, in event-time order
     * @param cases the escalation stage's cases as it left them ({@link RunReport#CASES})
     */
    public record Result(IngestReport ingest, List<OutputEvent> events, List<OutputEvent> cases, Duration wallTime) {
        public long count(String topic) {
            return events.stream().filter(e -> e.topic().equals(topic)).count();
        }
    }

    /** Whether the stages stay up while the caller works with a run's result. */
    public enum Stages {
        /** Up until the caller is done: the demo keeps them for its dashboards, and tests scrape them. */
        UP,
        /** Told to stop once they have caught up, and stopping while the outputs are read and the caller works. */
        STOPPING
    }

    /**
     * A run at full speed in event-time order, silently, the stages up while {@code whileRunning} works with its result
     * (the demo prints it there, and can stay up).
     */
    public static Result run(OpinionWatchConfig config, ArchiveFormat format, Path input, StageMetrics metrics,
                             Consumer<Result> whileRunning) {
        return run(config, format, input, Speed.MAX, PublishOrder.TIME, ReplayProgress.SILENT, metrics, Stages.UP, r -> {
            whileRunning.accept(r);
            return r;
        });
    }

    /**
     * @param config the settings to run with, already in the replay's own namespace
     * @param speed how fast the archive is published; the outputs are the same at any speed
     * @param order the order the archive is published in ({@link PublishOrder#PARTITION} at {@link Speed#MAX} only:
     *     paced, the archive's clock would run once per partition)
     * @param progress told how far the replay is, as it goes
     * @param metrics where the stages' meters go
     * @param stages whether the stages stay up while {@code then} works
     * @param then what the caller makes of the result, before the stages have stopped
     * @return what {@code then} gave
     */
    public static <T> T run(OpinionWatchConfig config, ArchiveFormat format, Path input, Speed speed, PublishOrder order,
                            ReplayProgress progress, StageMetrics metrics, Stages stages, Function<Result, T> then) {
        Instant started = Instant.now();
        Topics topics = config.topicNames();
        Properties producer = KafkaClients.properties(config.kafka());
        // Read while the stages start: both take about a second, and neither needs the other.
        CompletableFuture<ReadArchive> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return Ingest.readArchive(format, input, config.ingest());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the archive " + input + ": " + e.getMessage(), e);
            }
        });
        try (Pipeline pipeline = Pipeline.start(config, true, metrics)) {
            Pace pace = new Pace(speed, Pace.WallClock.SYSTEM);
            IngestReport report = Ingest.publishArchive(join(reading), topics, producer, config.ingest(), metrics.ingest().registry(),
                    new ArchiveListener() {
                        @Override
                        public void read(List<Post> posts) {
                            pace.read(posts);
                            progress.read(posts);
                        }

                        @Override
                        public void sending(Post post) {
                            pace.sending(post);
                            progress.sending(post);
                        }
                    }, order, config.kafka().partitions());
            pipeline.awaitClassified(remaining -> progress.catchingUp("classifier", remaining));
            // The last heartbeat only now: sent earlier, it could overtake increments still on their way through the
            // classifier's repartition topics, and fire their incidents' timers before them.
            if (report.lastEventTime() != null) {
                var escalation = config.escalation();
                Instant end = report.lastEventTime().plus(escalation.trackingFor()).plus(escalation.trackingEvery());
                try (PostPublisher clock = new PostPublisher(topics, producer, PostBounds.archive(config.ingest().limits()),
                        config.ingest().delivery())) {
                    clock.heartbeat(end, "replay");
                }
                pipeline.awaitClassified(remaining -> progress.catchingUp("classifier", remaining));
            }
            pipeline.awaitEscalated(remaining -> progress.catchingUp("escalation", remaining));
            progress.finished();
            if (stages == Stages.STOPPING) {
                pipeline.beginClose(); // everything they will write is written
            }
            Outputs outputs = outputs(config, List.of(topics.severity(), topics.notifications(), topics.tracking()));
            return then.apply(new Result(report, outputs.events(), outputs.cases(), Duration.between(started, Instant.now())));
        }
    }

    /** What {@code work} gave, or the exception that made it fail, as it was thrown. */
    public static <T> T join(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Everything a run's report is made of ({@link org.opinionwatch.launcher.report.RunReport#build}), read from the
     * run's topics: its outputs, the incident states and actions the escalation read, and its cases.
     */
    public static List<OutputEvent> reportEvents(OpinionWatchConfig config) {
        Topics t = config.topicNames();
        Outputs outputs = outputs(config, List.of(t.severity(), t.notifications(), t.tracking(), t.incidents(), t.actions()));
        List<OutputEvent> events = new ArrayList<>(outputs.events());
        events.addAll(outputs.cases());
        return events;
    }

    /**
     * The escalation stage's cases as it left them, read from its case store's changelog: the last record of each
     * incident, under the topic name {@link RunReport#CASES}.
     */
    public static List<OutputEvent> cases(OpinionWatchConfig config) {
        return outputs(config, List.of()).cases();
    }

    /** A run's records on some of its topics, and its cases. */
    private record Outputs(List<OutputEvent> events, List<OutputEvent> cases) {
    }

    /** {@code topics} and the case store's changelog in one read: a read of its own waits for their transactions to settle. */
    private static Outputs outputs(OpinionWatchConfig config, List<Topic<String, ?>> topics) {
        String prefix = config.topicNames().prefix();
        Topic<String, byte[]> changelog = new Topic<>(EscalationTopology.changelog(config, EscalationTopology.INCIDENT_STORE),
                Serdes.String(), Serdes.ByteArray(), true);
        List<Topic<String, ?>> all = new ArrayList<>(topics);
        all.add(changelog);
        List<OutputEvent> events = new ArrayList<>();
        Map<String, OutputEvent> latestCases = new LinkedHashMap<>();
        // The changelog's records are a case's compact bytes, written at every commit that changed it: only the latest
        // of each is read below.
        for (OutputEvent e : OutputReader.readAll(config.kafka(), prefix, all)) {
            if (changelog.name().equals(prefix + e.topic())) {
                latestCases.put(e.key(), e);
            } else {
                events.add(e);
            }
        }
        List<OutputEvent> cases = latestCases.values().stream()
                .map(e -> new OutputEvent(RunReport.CASES, e.key(), e.time(), caseJson(changelog.name(), e.value()))).toList();
        return new Outputs(List.copyOf(events), cases);
    }

    /** The store keeps its cases as compact bytes; the output shows them as JSON, as analysts and reports read them. */
    private static byte[] caseJson(String changelog, byte[] stored) {
        return EscalationTopology.CASE_JSON.serialize(changelog, EscalationTopology.CASE.deserialize(changelog, stored));
    }

    /** A namespace of its own for each replay, so that a replay never mixes with live traffic or another replay. */
    public static String freshNamespace() {
        return "replay-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
                + "-" + Long.toString(System.nanoTime() % 1_000_000, 36) + ".";
    }

    /** One event per line: {"topic": ..., "key": ..., "time": ..., "event": {...}}. */
    public static void writeJsonLines(List<OutputEvent> events, Path output) {
        try {
            writeJsonLines(events, Files.newOutputStream(output));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
    }

    /** The same to {@code out} as UTF-8, which it closes: the bytes of the file {@code --output} writes. */
    public static void writeJsonLines(List<OutputEvent> events, OutputStream out) throws IOException {
        // An encoder of its own reports a character UTF-8 cannot encode (a lone surrogate) rather than writing '?'.
        try (Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8.newEncoder()));
             JsonGenerator line = Json.TOLERANT.createGenerator(text)) {
            line.setRootValueSeparator(null); // each line ends with its own newline
            for (OutputEvent e : events) {
                line.writeStartObject();
                line.writeStringField("topic", e.topic());
                line.writeStringField("key", e.key());
                line.writeStringField("time", e.time().toString());
                line.writeFieldName("event");
                // Copied token by token, no tree: the stages' JSON escapes characters beyond the basic plane, this file does not.
                try (JsonParser event = Json.TOLERANT.createParser(e.value())) {
                    event.nextToken();
                    line.copyCurrentStructure(event);
                }
                line.writeEndObject();
                line.writeRaw('\n');
            }
        }
    }
}
