package org.opinionwatch.classifier.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.opinionwatch.classifier.category.Categorizer;
import org.opinionwatch.classifier.category.Lexicons;
import org.opinionwatch.classifier.subject.SubjectMatcher;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;

/**
 * The classifier's topology: posts.raw → parse (bad records to posts.dlq) → per post, cumulative snapshots to
 * increments → repartition by incident, with the clock's heartbeats → per incident, trailing windows, level and
 * timers → incidents.severity, incidents.forecast and incidents.
 */
public final class ClassifierTopology {
    static final String POST_PROGRESS_STORE = "post-progress";
    static final String INCIDENT_STORE = "incidents";
    static final String WINDOW_ENTRY_STORE = "window-entries";
    static final String RECENT_ENTRY_STORE = "recent-entries";
    static final String TIMER_STORE = "incident-timers";
    private static final String BY_INCIDENT = "increments-by-incident";

    static final Serde<Increment> INCREMENT = new JsonSerde<>(Increment.class, Increment.SCHEMA);
    static final Serde<PostProgress> POST_PROGRESS = new JsonSerde<>(PostProgress.class, PostProgress.SCHEMA);
    static final Serde<IncidentRecord> INCIDENT = new JsonSerde<>(IncidentRecord.class, IncidentRecord.SCHEMA);
    static final Serde<WindowEntry> WINDOW_ENTRY = new JsonSerde<>(WindowEntry.class, "classifier-window-entry/1");

    private ClassifierTopology() {
    }

    /** The internal topic the classifier writes increments to and reads them back from, keyed by incident. */
    public static String repartitionTopic(String applicationId) {
        return applicationId + "-" + BY_INCIDENT + "-repartition";
    }

    public static Topology build(OpinionWatchConfig config) {
        Topics topics = config.topicNames();
        var settings = config.classifier();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POST_PROGRESS_STORE), Serdes.String(), POST_PROGRESS));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(INCIDENT_STORE), Serdes.String(), INCIDENT));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WINDOW_ENTRY_STORE), Serdes.String(), WINDOW_ENTRY));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RECENT_ENTRY_STORE), Serdes.String(), WINDOW_ENTRY));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TIMER_STORE), Serdes.String(), Serdes.String()));

        var parsed = builder.stream(topics.postsRaw().name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("posts-raw"))
                .processValues(PostParser::new, Named.as("parse-post"))
                .split(Named.as("post-"))
                .branch((id, p) -> p.post() != null, Branched.as("valid"))
                .defaultBranch(Branched.as("rejected"));

        KStream<String, DeadLetter> rejected = parsed.get("post-rejected").mapValues(ParsedPost::rejected, Named.as("dead-letter"));
        rejected.selectKey((id, dl) -> dl.source(), Named.as("key-by-source")).to(topics.postsDlq().name(), produced(topics.postsDlq()));

        KStream<String, Increment> increments = parsed.get("post-valid")
                .mapValues(ParsedPost::post, Named.as("post"))
                .process(() -> new IncrementProcessor(new SubjectMatcher(settings.subjects()),
                        new Categorizer(Lexicons.withOverrides(settings.categories(), settings.sensitiveDomains()))),
                        Named.as("increments"), POST_PROGRESS_STORE)
                .repartition(Repartitioned.<String, Increment>as(BY_INCIDENT)
                        .withKeySerde(Serdes.String()).withValueSerde(INCREMENT));
        // Heartbeats reach every partition of clock, the same partitions as the increments: stream time moves on
        // in quiet periods, so that levels fall and incidents subside although no post arrives.
        KStream<String, Increment> ticks = builder.stream(topics.clock().name(),
                        Consumed.with(topics.clock().keySerde(), topics.clock().valueSerde()).withName("clock"))
                .mapValues(heartbeat -> (Increment) null, Named.as("tick"));

        KStream<String, IncidentUpdate> updates = increments.merge(ticks, Named.as("increments-and-ticks"))
                .process(() -> new IncidentProcessor(settings), Named.as("incident-window"),
                        INCIDENT_STORE, WINDOW_ENTRY_STORE, RECENT_ENTRY_STORE, TIMER_STORE);

        updates.filter((id, u) -> u.change() != null, Named.as("level-changed"))
                .mapValues(IncidentUpdate::change, Named.as("severity-change"))
                .to(topics.severity().name(), produced(topics.severity()));
        updates.filter((id, u) -> u.forecast() != null, Named.as("forecast-made"))
                .mapValues(IncidentUpdate::forecast, Named.as("forecast"))
                .to(topics.forecast().name(), produced(topics.forecast()));
        updates.mapValues(IncidentUpdate::state, Named.as("incident-state"))
                .to(topics.incidents().name(), produced(topics.incidents()));
        return builder.build();
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName("to-" + topic.name().replace('.', '-'));
    }
}
