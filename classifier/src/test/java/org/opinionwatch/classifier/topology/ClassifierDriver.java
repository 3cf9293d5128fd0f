package org.opinionwatch.classifier.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.streams.DeadLetters;

/** The classifier topology in a TopologyTestDriver, with its inputs and outputs at hand. */
final class ClassifierDriver implements AutoCloseable {
    static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

    final TopologyTestDriver driver;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TestInputTopic<String, byte[]> posts;
    final TestInputTopic<String, Heartbeat> clock;
    final TestInputTopic<String, String> rules;
    final TestInputTopic<String, Action> actions;
    final TestOutputTopic<String, SeverityChange> severity;
    final TestOutputTopic<String, IncidentState> incidents;
    final TestOutputTopic<String, ForecastWarning> forecasts;
    final TestOutputTopic<String, DeadLetter> dlq;
    final TestOutputTopic<String, DeadLetter> stageDlq;
    final TestInputTopic<String, byte[]> handover;
    private final TestInputTopic<String, Increment> toGrouper;
    private final Path stateDir = tempDir();

    ClassifierDriver(OpinionWatchConfig config) {
        this(config, true);
    }

    /**
     * @param othersAhead whether the story grouper, the router and the incident processor hear from the other tasks
     *     (the driver runs only one) that they are far ahead; if not, the test says how far the other tasks' posts
     *     have got with {@link #promise}
     */
    ClassifierDriver(OpinionWatchConfig config, boolean othersAhead) {
        Topics topics = config.topicNames();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // The stores are RocksDB: a directory per driver keeps parallel builds on one machine from sharing a lock.
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        new DeadLetters("classifier", topics.classifierDlq().name(), meters).applyTo(props);
        driver = new TopologyTestDriver(ClassifierTopology.build(config, meters), props);
        posts = driver.createInputTopic(topics.postsRaw().name(), new StringSerializer(), new ByteArraySerializer());
        rules = driver.createInputTopic(topics.rules().name(), new StringSerializer(), new StringSerializer());
        actions = driver.createInputTopic(topics.actions().name(), topics.actions().keySerde().serializer(), topics.actions().valueSerde().serializer());
        clock = driver.createInputTopic(topics.clock().name(), new StringSerializer(), topics.clock().valueSerde().serializer());
        severity = driver.createOutputTopic(topics.severity().name(), topics.severity().keySerde().deserializer(), topics.severity().valueSerde().deserializer());
        incidents = driver.createOutputTopic(topics.incidents().name(), topics.incidents().keySerde().deserializer(), topics.incidents().valueSerde().deserializer());
        forecasts = driver.createOutputTopic(topics.forecast().name(), topics.forecast().keySerde().deserializer(), topics.forecast().valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.postsDlq().name(), topics.postsDlq().keySerde().deserializer(), topics.postsDlq().valueSerde().deserializer());
        stageDlq = driver.createOutputTopic(topics.classifierDlq().name(), new StringDeserializer(), topics.classifierDlq().valueSerde().deserializer());
        handover = driver.createInputTopic(topics.handover().name(), new StringSerializer(), new ByteArraySerializer());
        // The driver runs one task: what is downstream of a loop waits for the promises of every task upstream.
        toGrouper = driver.createInputTopic("classifier-test-" + ClassifierTopology.BY_SUBJECT + "-repartition",
                new StringSerializer(), ClassifierTopology.INCREMENT.serializer());
        for (int task = 1; task < config.kafka().partitions(); task++) {
            if (othersAhead) {
                promise(task, END_OF_TIME);
            }
            // The other grouper tasks and routers, whose promises then follow this task's own.
            pipeLoop(handover, Increment.promise(Promise.Source.GROUPER, task, END_OF_TIME));
            pipeLoop(handover, Increment.promise(Promise.Source.ROUTER, task, END_OF_TIME));
        }
    }

    /** Task {@code task}'s posts have got to {@code at}, as it tells the story grouper. */
    void promise(int task, Instant at) {
        toGrouper.pipeInput(new TestRecord<>(ClassifierTopology.PROMISE_KEY, Increment.promise(Promise.Source.POSTS, task, at), Instant.EPOCH));
        settle();
    }

    /** A promise on the handover topic, at time 0 so as not to move stream time. */
    private void pipeLoop(TestInputTopic<String, byte[]> topic, Increment promise) {
        topic.pipeInput(new TestRecord<>(ClassifierTopology.PROMISE_KEY, ClassifierTopology.INCREMENT.serializer().serialize("", promise), Instant.EPOCH));
    }

    /** Wall-clock time moves on after each input, so that the task's watermark goes to the story grouper. */
    private void settle() {
        driver.advanceWallClockTime(Progress.EVERY);
    }

    /** A snapshot of forum thread {@code id} at {@code at} with {@code comments} comments so far. */
    void observe(String id, Instant at, long comments) {
        observe(new Post(id, "forum", "http://bbs/" + id, "t", "x", "author", T0, at, new Engagement(0, comments, 0, 0), false, null));
    }

    /** The post, then a heartbeat just after it, as live ingest sends: what it brings is decided at once. */
    void observe(Post post) {
        posts.pipeInput(new TestRecord<>(post.id(), Topics.POST.serialize("", post), post.observedAt()));
        settle();
        after(post.observedAt());
    }

    /** Publishes rules on the rules topic, as {@code opinion-watch rules} does. */
    void publish(OpinionWatchConfig.Rules published) {
        rules.pipeInput(Topics.RULES_KEY, new String(Topics.RULES.serialize("", published), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A person's action on {@code actions}, at its own time. */
    void act(Action action) {
        actions.pipeInput(new TestRecord<>(action.key(), action, action.at()));
        settle();
        after(action.at());
    }

    /** A heartbeat a millisecond after {@code at}: everything up to {@code at} is in, so the watermark passes it. */
    private void after(Instant at) {
        heartbeat(at.plusMillis(1));
    }

    /** Event time moves on to {@code at} although no post arrives: ingest's heartbeat, among the posts. */
    void heartbeat(Instant at) {
        posts.pipeInput(new TestRecord<>(null, Topics.HEARTBEAT.serialize("", new Heartbeat(at, "test")), at));
        settle();
    }

    /** The same on the clock topic, as the escalation's heartbeat clock sends while ingest is silent. */
    void clockTick(Instant at) {
        clock.pipeInput(new TestRecord<>(null, new Heartbeat(at, "escalation-clock"), at));
        settle();
    }

    @Override
    public void close() {
        driver.close();
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("classifier-driver");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
