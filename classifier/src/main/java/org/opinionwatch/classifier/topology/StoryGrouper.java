package org.opinionwatch.classifier.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.story.RecentStories;
import org.opinionwatch.classifier.story.StoryFingerprint;
import org.opinionwatch.classifier.story.StoryGrouping;
import org.opinionwatch.classifier.watermark.UpstreamPromises;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * Groups stories: keyed by subject, it sees every original post's first observation on that subject and decides
 * which incident the post's story belongs to, its own or that of a similar story of the window around it, and says
 * so to the post's own task ({@link Increment#joining}, keyed by the post): its router then sends the story's
 * increments to the incident it belongs to ({@link StoryRouter}).
 *
 * <p>Stories are decided in event-time order, ties by post id, whatever order they arrive in: a story waits in a
 * store until the lowest of the promises that every upstream task sends ({@link Progress}) has passed it. So the
 * same posts group the same way in every run. A story that arrives already passed (a post observed out of order
 * within its partition) is decided at once. After its decisions the grouper promises, to every task's router,
 * that none older than its watermark is still to come ({@link Promise.Source#GROUPER}).
 */
final class StoryGrouper implements Processor<String, Increment, String, Increment> {
    /** Below every printable character: subject ids and post ids never contain it, so keys sort by subject first. */
    private static final char SEP = '\u001f';

    private final OpinionWatchConfig.Classifier configured;
    /** How many tasks send stories: one per partition of posts.raw. */
    private final int upstreamTasks;
    private ProcessorContext<String, Increment> context;
    private KeyValueStore<String, StoredStory> stories;
    /** Stories the watermark has not passed yet, keyed by instant then post id. */
    private KeyValueStore<String, Increment> pending;
    private UpstreamPromises upstream;
    private long promised = Long.MIN_VALUE;
    /**
     * The store's stories fingerprinted, in memory, by subject in the store's key order: a new story is compared with
     * every story of its subject in the window around it, and reading and fingerprinting those again for each was a
     * sixth of the classifier's time. Stories older than two windows are forgotten, so this holds two windows of
     * originals.
     */
    private final Map<String, RecentStories> fingerprinted = new HashMap<>();
    private CurrentRules rules;

    /** A story as kept: the incident it belongs to and its text's essence, fingerprinted when the task starts. */
    record StoredStory(String incidentId, String essence) {
        static final String SCHEMA = "classifier-story/1";
    }

    StoryGrouper(OpinionWatchConfig.Classifier configured, int upstreamTasks) {
        this.configured = configured;
        this.upstreamTasks = upstreamTasks;
    }

    @Override
    public void init(ProcessorContext<String, Increment> context) {
        this.context = context;
        // Initialised again after an aborted transaction: promise again, and hold only what the stores hold.
        this.promised = Long.MIN_VALUE;
        fingerprinted.clear();
        this.stories = context.getStateStore(ClassifierTopology.STORY_STORE);
        this.pending = context.getStateStore(ClassifierTopology.PENDING_STORY_STORE);
        this.upstream = new UpstreamPromises(context.getStateStore(ClassifierTopology.STORY_PROMISE_STORE), Promise.Source.POSTS, upstreamTasks);
        this.rules = new CurrentRules(configured, context.getStateStore(RulesStore.NAME));
        try (KeyValueIterator<String, StoredStory> all = stories.all()) {
            all.forEachRemaining(kv -> {
                String[] parts = kv.key.split(String.valueOf(SEP), 3);
                told(parts[0]).add(Long.parseLong(parts[1]), parts[2], fingerprint(kv.value));
            });
        }
        // After a restart the routers hear the grouper's watermark again without waiting for the next promise.
        context.schedule(Progress.EVERY, PunctuationType.WALL_CLOCK_TIME, wallClock -> promise());
    }

    @Override
    public void process(Record<String, Increment> record) {
        Increment inc = record.value();
        if (inc.promise() != null) {
            if (upstream.promised(inc.promise().task(), inc.at().toEpochMilli())) {
                decidePassed();
                promise();
            }
        } else if (inc.at().toEpochMilli() < upstream.lowest()) {
            decide(inc);
        } else {
            pending.put(SortableKeys.decimal(Math.max(0, inc.at().toEpochMilli())) + SEP + inc.incidentId(), inc);
        }
    }

    /** Decides the waiting stories the watermark has passed, earliest first. */
    private void decidePassed() {
        long watermark = upstream.lowest();
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        List<KeyValue<String, Increment>> passed = new ArrayList<>();
        try (KeyValueIterator<String, Increment> it = pending.range("", SortableKeys.decimal(Math.max(0, watermark - 1)) + SEP + "\uffff")) {
            it.forEachRemaining(passed::add);
        }
        for (KeyValue<String, Increment> story : passed) {
            pending.delete(story.key);
            decide(story.value);
        }
    }

    /** Promises every router that no decision older than the watermark is still to come, when it has moved. */
    private void promise() {
        long watermark = upstream.lowest();
        if (watermark > promised) {
            promised = watermark;
            context.forward(new Record<>(ClassifierTopology.PROMISE_KEY,
                    Increment.promise(Promise.Source.GROUPER, context.taskId().partition(), Instant.ofEpochMilli(watermark)), watermark));
        }
    }

    /** Decides the story and tells its task, whether it joins another incident or stays its own. */
    private void decide(Increment inc) {
        String subject = inc.subject();
        String root = inc.incidentId();
        long at = inc.at().toEpochMilli();
        long window = configured.window().toMillis();
        RuleBook book = rules.get();
        String incident = root;
        StoryFingerprint story = StoryFingerprint.of(inc.story());
        RecentStories told = told(subject);
        if (book.grouping() != null) {
            incident = book.grouping().incidentFor(story, told.between(at - window + 1, at + window)).orElse(root);
        }
        // Stories two windows older than the newest can no longer be joined; out-of-order posts get a window's slack.
        told.forgetBefore(at - 2 * window, (before, oldRoot) -> stories.delete(key(subject, before, oldRoot)));
        stories.put(key(subject, at, root), new StoredStory(incident, inc.story()));
        told.add(at, root, new StoryGrouping.Story(incident, story));
        context.forward(new Record<>(root, inc.joining(incident), at));
    }

    private RecentStories told(String subject) {
        return fingerprinted.computeIfAbsent(subject, k -> new RecentStories());
    }

    private static StoryGrouping.Story fingerprint(StoredStory stored) {
        return new StoryGrouping.Story(stored.incidentId(), StoryFingerprint.of(stored.essence()));
    }

    private static String key(String subject, long at, String root) {
        return subject + SEP + SortableKeys.decimal(Math.max(0, at)) + SEP + root;
    }
}
