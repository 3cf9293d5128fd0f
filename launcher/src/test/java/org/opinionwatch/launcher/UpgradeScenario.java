package org.opinionwatch.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;

/**
 * The run the upgrade test cuts in two: two incidents of the bundled CED sample, 310 (a rumour that was MAJOR on 20
 * July 2013, subsided on the 26th and relapses on the 28th) and 1890 (CRITICAL 32 minutes after it was posted on 27
 * July), a silence of the department set before the cut, and the cut at {@link #CUT}: 1890 CRITICAL with the
 * leadership's deadlines running, 310 in its aftercare, the day's report not yet made, the silence in force.
 *
 * <p>Published as a replay publishes (each step waits until the classifier has caught up: {@link Replay}), with a
 * heartbeat at the cut on every clock partition, so the first part ends at the cut for both stages. Story grouping is off: which story joins which depends on arrival
 * order (docs/architecture.md), and the comparison after the cut must not.
 */
final class UpgradeScenario {
    static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");
    static final List<String> INCIDENTS = List.of("weibo-ced:310_A0X34ffLq_1242567051", "weibo-ced:1890_A1VD0majf_2827469920");
    /** 10:15 in Beijing: no post, deadline, checkpoint or report falls on it. */
    static final Instant CUT = Instant.parse("2013-07-27T02:15:00Z");
    /** The department silenced from before the cut until after its reminder of 28 July. */
    static final Action SILENCE = new Action(null, null, Action.Kind.SILENCE, null, null, null,
            new Action.Silence(null, Action.Silence.Target.ROLE, Role.DEPARTMENT.name(), Instant.parse("2013-07-28T04:00:00Z")),
            "李老师", "院系调查期间", Instant.parse("2013-07-27T02:00:00Z"));

    private final List<Post> posts;

    UpgradeScenario() {
        try {
            posts = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, PostBounds.archive(settings().ingest().limits())).posts().stream()
                    .filter(p -> INCIDENTS.contains(p.id())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings of every run: the defaults with grouping off, forecasts off (a horizon of a millisecond: the fixture's
     * release took a forecast before the level change of the same instant, this one after it) and the fixture's three
     * partitions.
     */
    static OpinionWatchConfig settings() {
        try {
            Path file = Files.createTempFile("upgrade", ".yaml");
            Files.writeString(file, "kafka:\n  partitions: 3\nclassifier:\n  grouping: { enabled: false }\n  forecast: { horizon: PT0.001S, rateWindow: PT1H }\n");
            OpinionWatchConfig config = ConfigLoader.load(file, Map.of());
            Files.delete(file);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings in a namespace of their own on the tests' broker. */
    static OpinionWatchConfig settings(String namespace) {
        return settings().inNamespace(namespace + "-" + System.nanoTime() + ".").withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
    }

    /**
     * The posts up to the cut and the silence, then the heartbeat at the cut once the classifier has them all, and
     * what follows from it once both stages have done it all.
     */
    void publishFirstPart(OpinionWatchConfig config, Pipeline pipeline) {
        publishFirstPart(config, pipeline::awaitClassified);
        pipeline.awaitEscalated(remaining -> { });
    }

    /**
     * The posts up to the cut and the silence, then the heartbeat at the cut once the classifier has them all.
     *
     * @param caughtUp waits until the classifier has processed what was published (nothing to wait for when the
     *     records are published for a release that took them before)
     */
    void publishFirstPart(OpinionWatchConfig config, Runnable caughtUp) {
        publish(config, posts.stream().filter(p -> p.observedAt().isBefore(CUT)).toList());
        try (ActionPublisher actions = new ActionPublisher(config, ActionPublisher.TIMEOUT)) {
            actions.publish(SILENCE);
        }
        caughtUp.run();
        heartbeat(config, CUT);
        caughtUp.run();
    }

    /**
     * The posts after the cut, then, as a replay ends, a heartbeat a tracking round after the last post once the
     * classifier has them all, and what follows once both stages have done it all.
     */
    void publishSecondPart(OpinionWatchConfig config, Pipeline pipeline) {
        List<Post> after = posts.stream().filter(p -> !p.observedAt().isBefore(CUT)).toList();
        publish(config, after);
        pipeline.awaitClassified();
        var escalation = config.escalation();
        heartbeat(config, after.get(after.size() - 1).observedAt().plus(escalation.trackingFor()).plus(escalation.trackingEvery()));
        pipeline.awaitClassified();
        pipeline.awaitEscalated(remaining -> { });
    }

    /** The whole scenario without a cut: what the upgrade must give after the cut. */
    Events uninterrupted() {
        OpinionWatchConfig config = settings("upgrade-straight");
        try (StageMetrics metrics = StageMetrics.start(config, false); Pipeline pipeline = Pipeline.start(config, true, metrics)) {
            publishFirstPart(config, pipeline);
            publishSecondPart(config, pipeline);
            return Events.of(config);
        }
    }

    private static void publish(OpinionWatchConfig config, List<Post> posts) {
        try (PostPublisher publisher = publisher(config)) {
            posts.forEach(publisher::publish);
            publisher.flush();
        }
    }

    /**
     * A heartbeat on every partition of the clock topic, where the fixture's release wrote ingest's (this one's ingest
     * writes them among the posts): the first part's records are then where the fixture's stages read them, as many.
     */
    private static void heartbeat(OpinionWatchConfig config, Instant at) {
        var clock = config.topicNames().clock();
        try (var producer = new KafkaProducer<>(KafkaClients.settings(config.kafka()), new StringSerializer(), clock.valueSerde().serializer())) {
            for (int p = 0; p < config.kafka().partitions(); p++) {
                producer.send(new ProducerRecord<>(clock.name(), p, at.toEpochMilli(), null, new Heartbeat(at, "upgrade-test")));
            }
            producer.flush();
        }
    }

    private static PostPublisher publisher(OpinionWatchConfig config) {
        return new PostPublisher(config.topicNames(), KafkaClients.properties(config.kafka()),
                PostBounds.archive(config.ingest().limits()), config.ingest().delivery());
    }

    /** What a run gave: its severity changes, forecasts, notifications and checkpoints, and the escalation's cases. */
    record Events(List<OutputEvent> events, List<OutputEvent> cases) {
        static Events of(OpinionWatchConfig config) {
            var t = config.topicNames();
            return new Events(OutputReader.readAll(config.kafka(), t.prefix(), List.of(t.severity(), t.forecast(), t.notifications(), t.tracking())),
                    Replay.cases(config));
        }

        List<OutputEvent> after(Instant cut) {
            return events.stream().filter(e -> e.time().isAfter(cut)).toList();
        }

        List<OutputEvent> until(Instant cut) {
            return events.stream().filter(e -> !e.time().isAfter(cut)).toList();
        }
    }
}
