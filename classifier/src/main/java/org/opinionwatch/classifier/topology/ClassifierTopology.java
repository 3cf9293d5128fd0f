package org.opinionwatch.classifier.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.opinionwatch.classifier.incident.IncidentRecord;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.classifier.watermark.UpstreamPromises;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.runtime.state.CommitHook;

/**
 * The classifier's topology: posts.raw → parse (bad records to posts.dlq; a post not on its incident's partition
 * moved there) → per post, cumulative snapshots to increments (and original posts to the story grouper, by subject),
 * with the clock's heartbeats, the increments handed over between incidents and people's judgement from actions → per
 * incident, trailing windows,
 * level and timers → incidents.severity, incidents.forecast and incidents, and all of it with the progress of each
 * task in one ordered sequence on classifier.timeline, for the escalation stage. The rules come from the config file, or from the
 * classifier.rules topic once rules are published there (a global store: every task sees the latest).
 */
public final class ClassifierTopology {
    static final String POST_PROGRESS_STORE = "post-progress";
    static final String INCIDENT_STORE = "incidents";
    static final String WINDOW_ENTRY_STORE = "window-entries";
    static final String STORY_STORE = "stories";
    static final String JOINED_STORE = "joined-stories";
    static final String PENDING_STORY_STORE = "stories-pending";
    static final String STORY_PROMISE_STORE = "story-promises";
    static final String ROUTE_STORE = "story-routes";
    static final String AWAITING_STORE = "stories-awaiting";
    static final String WAITING_STORE = "waiting";
    static final String PROMISE_STORE = "promises";
    /**
     * When the task commits: the incidents, their window entries, the inputs waiting, the stories awaiting the
     * grouper's word and the posts' progress are written to their stores then ({@link CommitHook}).
     */
    static final String INCIDENT_COMMIT = "incidents-at-commit";
    static final String ROUTE_COMMIT = "routes-at-commit";
    static final String POST_PROGRESS_COMMIT = "post-progress-at-commit";
    /** The key of promises on the loop topics: never a subject's or an incident's id. */
    static final String PROMISE_KEY = "\u0000promise";
    private static final String BY_INCIDENT = "posts-by-incident";
    static final String BY_SUBJECT = "stories-by-subject";

    static final Serde<Increment> INCREMENT = new JsonSerde<>(Increment.class, Increment.SCHEMA).reading(Increment.PREVIOUS_SCHEMA, v2 -> v2);
    static final Serde<PostProgress> POST_PROGRESS = new JsonSerde<>(PostProgress.class, PostProgress.SCHEMA);
    static final Serde<IncidentRecord> INCIDENT = new JsonSerde<>(IncidentRecord.class, IncidentRecord.SCHEMA);
    /**
     * A bucket of an incident's entries per record ({@code EntryBuckets}), as compact bytes; reads the JSON of version 2
     * (the same buckets) and of version 1, which kept one entry, its instant in the key.
     */
    static final Serde<StoreEntryLog.Stored> WINDOW_ENTRIES = new CompactSerde<>(StoreEntryLog.Stored.COMPACT_SCHEMA, StoreEntryLog.Stored.FORMAT,
            new JsonSerde<>(StoreEntryLog.Stored.class, StoreEntryLog.Stored.SCHEMA).reading(StoreEntryLog.Stored.PREVIOUS_SCHEMA, v1 -> {
                var bucket = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                bucket.putArray("entries").addObject().set("entry", v1);
                return bucket;
            }));
    static final Serde<UpstreamPromises.Promised> PROMISED = new JsonSerde<>(UpstreamPromises.Promised.class, UpstreamPromises.Promised.SCHEMA);
    /**
     * The inputs waiting for a watermark ({@code waiting}) and the stories' increments awaiting the grouper's word
     * ({@code stories-awaiting}): as compact bytes, nearly every input being written once and deleted once (reads the
     * JSON of {@code /1} and {@code /2}). In {@code stories-awaiting}, the {@code /2} layout keys each increment of a
     * story on its own ({@code Queues}); {@code /1} kept a story's increments as one value.
     */
    static final Serde<OrderedBuffer.Waiting> WAITING = new CompactSerde<>(OrderedBuffer.Waiting.COMPACT_SCHEMA, OrderedBuffer.Waiting.FORMAT,
            new JsonSerde<>(OrderedBuffer.Waiting.class, "classifier-waiting/2").reading(OrderedBuffer.Waiting.SCHEMA, v1 -> v1));
    static final Serde<StoryGrouper.StoredStory> STORY = new JsonSerde<>(StoryGrouper.StoredStory.class, StoryGrouper.StoredStory.SCHEMA);

    private ClassifierTopology() {
    }

    /**
     * The topics the classifier has caught up with when its consumer lag on them is zero: posts.raw, the clock (a
     * heartbeat fires the falls and subsidings due before it), and what it writes and reads back itself (its
     * repartition topics and the handover topic).
     */
    public static List<String> readTopics(OpinionWatchConfig config) {
        String app = config.classifier().applicationId();
        return List.of(config.topicNames().postsRaw().name(), config.topicNames().clock().name(), config.topicNames().actions().name(),
                app + "-" + BY_SUBJECT + "-repartition", app + "-" + BY_INCIDENT + "-repartition",
                config.topicNames().handover().name());
    }

    /** @param registry where the stage's meters go ({@link ClassifierMetrics}) */
    public static Topology build(OpinionWatchConfig config, MeterRegistry registry) {
        Topics topics = config.topicNames();
        var settings = config.classifier();
        ClassifierMetrics metrics = new ClassifierMetrics(registry);
        StreamsBuilder builder = new StreamsBuilder();
        // The incidents and the posts' progress are held as objects and written at each commit (RecentlyUsed.deferred):
        // an incident changes at every increment, and Streams' record cache would serialize it at every put. Streams'
        // cache on neither, then (CommitHook). Nor on the stores that are range-scanned (entries, stories): merging
        // cache and store cost more CPU than the fewer changelog writes saved (its commit has the figures).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POST_PROGRESS_STORE), Serdes.String(), POST_PROGRESS));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(INCIDENT_STORE), Serdes.String(), INCIDENT));
        builder.addStateStore(CommitHook.builder(INCIDENT_COMMIT));
        builder.addStateStore(CommitHook.builder(POST_PROGRESS_COMMIT));
        // Window entries in memory (changelogged, restored on a restart like the others): a bucket of them leaves the
        // store when its last entry leaves its incident's trailing window, so the store holds one window's increments,
        // and RocksDB's writes and deletes of them were a large share of the classifier's time (its commit has the
        // figures). The other stores keep what lasts longer than a window (every post's progress, every incident) and
        // stay on disk.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(WINDOW_ENTRY_STORE), Serdes.String(), WINDOW_ENTRIES));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORY_STORE), Serdes.String(), STORY));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOINED_STORE), Serdes.String(), JoinedStory.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORY_STORE), Serdes.String(), INCREMENT));
        // What waits for a watermark, and the promises it waits on: in memory (changelogged). The promises are cached,
        // so that the last of a commit's is logged; what waits is written at the commit (Mirrored and Queues deferred),
        // so that what comes and goes within a commit is never written at all.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORY_PROMISE_STORE), Serdes.String(), PROMISED).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(PROMISE_STORE), Serdes.String(), PROMISED).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(WAITING_STORE), Serdes.String(), WAITING));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AWAITING_STORE), Serdes.String(), WAITING));
        builder.addStateStore(CommitHook.builder(ROUTE_COMMIT));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ROUTE_STORE), Serdes.String(), JoinedStory.SERDE));
        // The topic is the store's changelog: nothing to log twice. In memory: the rules are one small record.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(RulesStore.NAME), Serdes.String(), Serdes.String()).withLoggingDisabled(),
                topics.rules().name(), Consumed.with(Serdes.String(), Serdes.String()).withName("classifier-rules"),
                RulesStore::new);

        KStream<String, ParsedPost> read = builder.stream(topics.postsRaw().name(), Consumed.with(Serdes.String(), new PostReader())
                        .withTimestampExtractor(new ObservedAt()).withName("posts-raw"))
                .processValues(() -> new PostParser(metrics, config.kafka().partitions()), Named.as("parse-post"));
        var parsed = read.split(Named.as("post-"))
                .branch((id, p) -> p.rejected() != null, Branched.as("rejected"))
                .branch((id, p) -> p.heartbeat() != null, Branched.as("heartbeat"))
                .branch((id, p) -> p.home(), Branched.as("home"))
                .defaultBranch(Branched.as("elsewhere"));

        KStream<String, DeadLetter> rejected = parsed.get("post-rejected").mapValues(ParsedPost::rejected, Named.as("dead-letter"));
        rejected.selectKey((id, dl) -> dl.source(), Named.as("key-by-source")).to(topics.postsDlq().name(), produced(topics.postsDlq()));

        // Ingest sends a post to its incident's partition: it is counted in the task that reads it. A post that
        // came on another partition (another producer's partitioning) is moved to its incident's first.
        KStream<String, Post> moved = parsed.get("post-elsewhere")
                .map((id, p) -> KeyValue.pair(p.post().rootId(), p.post()), Named.as("key-by-incident"))
                .repartition(Repartitioned.<String, Post>as(BY_INCIDENT).withKeySerde(Serdes.String()).withValueSerde(topics.postsRaw().valueSerde()));
        KStream<String, Increment> increments = parsed.get("post-home")
                .mapValues(ParsedPost::post, Named.as("post"))
                .merge(moved, Named.as("posts-at-home"))
                .process(() -> new IncrementProcessor(settings, metrics), Named.as("increments"), POST_PROGRESS_STORE, POST_PROGRESS_COMMIT);
        // How far posts.raw has got in this task: its valid posts as they are read, and the heartbeats among them.
        // Ingest writes its heartbeats to each posts.raw partition behind the posts before them; heartbeats on the clock
        // topic (the escalation's while ingest is silent, other producers') are relayed there the same way, behind
        // the posts already written. So a task reads every heartbeat in its place among its posts, from its own
        // partition (never from the loop topics or the clock, which may run ahead of a backlog still to be fetched).
        builder.stream(topics.clock().name(), Consumed.with(topics.clock().keySerde(), topics.clock().valueSerde()).withName("clock"))
                .to(topics.postsRaw().name(), Produced.with(topics.clock().keySerde(), topics.clock().valueSerde(), ClassifierTopology.<Heartbeat>everyPartition())
                        .withName("clock-to-posts-raw"));
        KStream<String, Heartbeat> heartbeats = parsed.get("post-heartbeat").mapValues(ParsedPost::heartbeat, Named.as("posts-raw-heartbeat"));
        KStream<String, Progress.Reached> reached = read.filter((id, p) -> p.post() != null, Named.as("valid-posts"))
                .mapValues(p -> new Progress.Reached(p.post().observedAt(), false), Named.as("post-reached"))
                .merge(heartbeats.mapValues(h -> new Progress.Reached(h.time(), true), Named.as("heartbeat-reached")), Named.as("reached"));
        KStream<String, Increment> progress = reached.process(Progress::new, Named.as("progress"));

        // An original post's first observation on a subject goes, keyed by subject, to the story grouper (one task
        // sees all stories of a subject), with every task's progress: it decides stories in event-time order and
        // says, keyed by the post, whether its story joins another incident's. Its word comes back through the
        // handover topic to the post's task.
        increments.filter((root, inc) -> inc.story() != null, Named.as("stories"))
                .merge(progress, Named.as("stories-and-progress"))
                .selectKey((root, inc) -> inc.promise() != null ? PROMISE_KEY : inc.subject(), Named.as("key-by-subject"))
                .repartition(Repartitioned.<String, Increment>as(BY_SUBJECT).withKeySerde(Serdes.String()).withValueSerde(INCREMENT)
                        .withStreamPartitioner(new LoopPartitioner()))
                .process(() -> new StoryGrouper(settings, config.kafka().partitions()), Named.as("group-stories"),
                        STORY_STORE, PENDING_STORY_STORE, STORY_PROMISE_STORE)
                .to(topics.handover().name(), Produced.with(Serdes.String(), INCREMENT).withStreamPartitioner(new LoopPartitioner())
                        .withName("decisions-out"));

        // The handover topic brings the grouper's words and promises to the router, and the increments of stories
        // that joined an incident of this task, with every router's promises, to the incident processor.
        var handedOver = builder.stream(topics.handover().name(), Consumed.with(Serdes.String(), INCREMENT).withName("handover-in"))
                .split(Named.as("handover-"))
                .branch((id, inc) -> inc.isStoryDecision() || inc.promise() != null && inc.promise().source() == Promise.Source.GROUPER,
                        Branched.as("to-router"))
                .defaultBranch(Branched.as("to-incidents"));

        // Each increment goes to the incident it counts for: its own, or the one its story joined (StoryRouter).
        var routed = increments.merge(progress, Named.as("increments-and-progress"))
                .merge(handedOver.get("handover-to-router"), Named.as("and-decisions"))
                .process(() -> new StoryRouter(config.kafka().partitions()), Named.as("route"), ROUTE_STORE, AWAITING_STORE, ROUTE_COMMIT, PROMISE_STORE)
                .split(Named.as("routed-"))
                .branch((id, r) -> r.away(), Branched.as("away"))
                .defaultBranch(Branched.as("home"));
        routed.get("routed-away").mapValues(Routed::increment, Named.as("handed-over"))
                .to(topics.handover().name(), Produced.with(Serdes.String(), INCREMENT).withStreamPartitioner(new LoopPartitioner())
                        .withName("routed-out"));

        // People's judgement (dismiss, set-level, clear-level, merge) from actions, keyed by incident like the rest.
        KStream<String, Routed> judgements = builder.stream(topics.actions().name(),
                        Consumed.with(topics.actions().keySerde(), topics.actions().valueSerde()).withName("actions-in"))
                .filter((id, a) -> a != null && a.kind().isJudgement(), Named.as("judgements"))
                .mapValues(a -> Routed.home(Increment.judged(a)), Named.as("judgement"));

        KStream<String, IncidentUpdate> updates = routed.get("routed-home")
                .merge(handedOver.get("handover-to-incidents").mapValues(Routed::home, Named.as("handed-in")), Named.as("and-handovers"))
                .merge(judgements, Named.as("and-judgements"))
                .process(() -> new IncidentProcessor(settings, metrics, config.kafka().partitions()), Named.as("incident-window"),
                        INCIDENT_STORE, INCIDENT_COMMIT, WINDOW_ENTRY_STORE, JOINED_STORE, WAITING_STORE, PROMISE_STORE);
        var split = updates.split(Named.as("update-"))
                .branch((id, u) -> u.handover() != null, Branched.as("handover"))
                .defaultBranch(Branched.as("decided"));
        split.get("update-handover").mapValues(IncidentUpdate::handover, Named.as("handover"))
                .to(topics.handover().name(), Produced.with(Serdes.String(), INCREMENT).withName("handover-out"));
        // The escalation stage reads decisions and progress together, in order, from the timeline; others read the
        // contract topics of each kind.
        KStream<String, IncidentUpdate> decided = split.get("update-decided");
        decided.to(topics.timeline().name(), TimelineSink.produced(topics.timeline()));
        updates = decided.filter((id, u) -> u.reached() == null, Named.as("incident-decided"));

        updates.filter((id, u) -> u.change() != null, Named.as("level-changed"))
                .mapValues(IncidentUpdate::change, Named.as("severity-change"))
                .to(topics.severity().name(), produced(topics.severity()));
        updates.filter((id, u) -> u.forecast() != null, Named.as("forecast-made"))
                .mapValues(IncidentUpdate::forecast, Named.as("forecast"))
                .to(topics.forecast().name(), produced(topics.forecast()));
        // The state as written once for the timeline too (IncidentUpdate.stateJson), with its schema.
        updates.mapValues(u -> Topics.INCIDENT_STATE.stamp(u.stateJson()), Named.as("incident-state"))
                .to(topics.incidents().name(), Produced.with(topics.incidents().keySerde(), Serdes.ByteArray()).withName(sinkName(topics.incidents())));
        return builder.build();
    }

    /** A record for every partition of the topic: heartbeats, which every task must hear. */
    private static <V> StreamPartitioner<String, V> everyPartition() {
        return (topic, key, value, partitions) -> LoopPartitioner.every(partitions);
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(sinkName(topic));
    }

    /** The name of the sink node that writes to {@code topic}. */
    static String sinkName(Topic<?, ?> topic) {
        return "to-" + topic.name().replace('.', '-');
    }
}
