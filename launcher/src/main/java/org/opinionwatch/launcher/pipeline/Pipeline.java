package org.opinionwatch.launcher.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.topology.ClassifierTopology;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.topology.EscalationTopology;

/** The classifier and the escalation stage running together against one cluster, in one topic namespace. */
public final class Pipeline implements AutoCloseable {
    /**
     * No progress for this long fails the run. A stage's first transaction on a topic it has just created can wait out
     * the producer's 120 s delivery timeout (KAFKA-15591) and then succeed: the bound leaves room for that.
     */
    private static final Duration STALL = Duration.ofSeconds(180);
    /**
     * The classifier's stream threads here. Catching up on a backlog, one thread spends about two fifths of its time
     * waiting for its commits; a second, with a producer and transaction of its own, processes meanwhile on the core
     * the broker and the escalation leave (BENCHMARKS.md has the figures). On one processor it only competes with the
     * first. The escalation keeps one: a second gained nothing measurable.
     */
    static final int CLASSIFIER_THREADS = classifierThreads(Runtime.getRuntime().availableProcessors());

    private final OpinionWatchConfig config;
    private final Admin admin;
    private final KafkaStreams classifier;
    private final KafkaStreams escalation;
    /** The stages' local state: the run's own, deleted when it ends (it lives on in the changelog topics). */
    private final Path stateDir;

    private Pipeline(OpinionWatchConfig config, Admin admin, KafkaStreams classifier, KafkaStreams escalation, Path stateDir) {
        this.config = config;
        this.admin = admin;
        this.classifier = classifier;
        this.escalation = escalation;
        this.stateDir = stateDir;
    }

    /**
     * Starts both stages side by side: the escalation takes the classifier's decisions from its timeline as they are
     * made, in event-time order, and never runs ahead of them, so a run gives the same outputs at any speed.
     *
     * @param keepForever whether the topics keep every record (see {@link TopicSetup#create(Admin, OpinionWatchConfig, boolean)})
     */
    public static Pipeline start(OpinionWatchConfig config, boolean keepForever, StageMetrics metrics) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("opinion-watch-streams");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory: " + e.getMessage(), e);
        }
        OpinionWatchConfig run = config.withStateDir(stateDir);
        Admin admin = Admin.create(KafkaClients.settings(run.kafka()));
        TopicSetup.create(admin, run, keepForever);
        Properties overrides = new Properties();
        if (keepForever) {
            // The stages' own topics of a replay take its clock too: their records carry the times of its timers.
            TopicSetup.ANY_TIMESTAMP.forEach((key, value) -> overrides.put(StreamsConfig.topicPrefix(key), value));
        }
        Properties classifierOverrides = new Properties();
        classifierOverrides.putAll(overrides);
        classifierOverrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, CLASSIFIER_THREADS);
        return new Pipeline(run, admin, Classifier.start(run, classifierOverrides, metrics.classifier()),
                Escalation.start(run, overrides, metrics.escalation()), stateDir);
    }

    static int classifierThreads(int processors) {
        return processors > 1 ? 2 : 1;
    }

    /** Waits until the classifier has processed every post published so far, what it wrote to read back too. */
    public void awaitClassified() {
        awaitClassified(remaining -> { });
    }

    /** {@link #awaitClassified()}, telling {@code remaining} how many records the classifier has left, as it goes. */
    public void awaitClassified(LongConsumer remaining) {
        new ConsumerLag(admin).awaitZero(config.classifier().applicationId(), ClassifierTopology.readTopics(config), STALL,
                () -> isAlive(classifier), remaining);
    }

    /**
     * Waits until the escalation stage has processed every severity change, incident state, action and heartbeat,
     * telling {@code remaining} how many records it has left, as it goes.
     */
    public void awaitEscalated(LongConsumer remaining) {
        new ConsumerLag(admin).awaitZero(config.escalation().applicationId(), EscalationTopology.readTopics(config),
                STALL, () -> isAlive(escalation), remaining);
    }

    private static boolean isAlive(KafkaStreams streams) {
        return streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING
                && streams.state() != KafkaStreams.State.PENDING_ERROR;
    }

    /**
     * A run's stages leave their groups as they stop: of the classifier's two threads, one still joining the group when
     * the other stopped would otherwise wait for the broker to drop the stopped one at its session timeout (45 s).
     */
    private static CloseOptions leavingTheGroup(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout);
    }

    /** Tells both stages to stop, and returns: {@link #close()} waits for them. */
    public void beginClose() {
        List.of(classifier, escalation).forEach(stage -> stage.close(leavingTheGroup(Duration.ZERO)));
    }

    /** Stops both stages and deletes their local state: it lives on in the changelog topics, and a run's is its own. */
    @Override
    public void close() {
        beginClose(); // both begin to stop at once
        boolean stopped = true;
        for (KafkaStreams stage : List.of(classifier, escalation)) {
            // A stage's last transaction can wait out the producer's delivery timeout (KAFKA-15591) before it stops.
            if (stage.close(leavingTheGroup(STALL))) {
                stage.cleanUp();
            } else {
                stopped = false;
            }
        }
        admin.close(Duration.ofSeconds(5));
        if (!stopped) {
            throw new IllegalStateException("a stage did not stop within " + STALL.toSeconds() + " s; its local state is left in " + stateDir);
        }
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
