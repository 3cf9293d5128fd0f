package org.opinionwatch.classifier.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.story.StoryFingerprint;
import org.opinionwatch.classifier.story.StoryGrouping;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.SortableKeys;

/**
 * Groups stories: keyed by subject, it sees every original post's first observation on that subject and decides
 * which incident the post's story belongs to, its own or that of a similar story of the window around it. When it
 * joins another, it says so to the post's own incident ({@link Increment#joining}, keyed by the post), which then
 * moves over.
 */
final class StoryGrouper implements Processor<String, Increment, String, Increment> {
    /** Below every printable character: subject ids and post ids never contain it, so keys sort by subject first. */
    private static final char SEP = '\u001f';

    private final OpinionWatchConfig.Classifier configured;
    private ProcessorContext<String, Increment> context;
    private KeyValueStore<String, StoredStory> stories;
    private CurrentRules rules;

    /** A story as kept: the incident it belongs to and its text's essence, fingerprinted again when compared. */
    record StoredStory(String incidentId, String essence) {
        static final String SCHEMA = "classifier-story/1";
    }

    StoryGrouper(OpinionWatchConfig.Classifier configured) {
        this.configured = configured;
    }

    @Override
    public void init(ProcessorContext<String, Increment> context) {
        this.context = context;
        this.stories = context.getStateStore(ClassifierTopology.STORY_STORE);
        this.rules = new CurrentRules(configured, context.getStateStore(RulesStore.NAME));
    }

    @Override
    public void process(Record<String, Increment> record) {
        Increment inc = record.value();
        String subject = record.key();
        String root = inc.incidentId();
        long at = inc.at().toEpochMilli();
        long window = configured.window().toMillis();
        RuleBook book = rules.get();
        String incident = root;
        if (book.grouping() != null) {
            List<StoryGrouping.Story> recent = new ArrayList<>();
            try (KeyValueIterator<String, StoredStory> it = stories.range(key(subject, at - window + 1, ""), key(subject, at + window, "\uffff"))) {
                it.forEachRemaining(kv -> recent.add(new StoryGrouping.Story(kv.value.incidentId(), StoryFingerprint.of(kv.value.essence()))));
            }
            incident = book.grouping().incidentFor(StoryFingerprint.of(inc.story()), recent).orElse(root);
            forget(subject, at - 2 * window);
        }
        stories.put(key(subject, at, root), new StoredStory(incident, inc.story()));
        if (!incident.equals(root)) {
            context.forward(new Record<>(root, inc.joining(incident), record.timestamp()));
        }
    }

    /** Stories two windows older than the newest can no longer be joined; out-of-order posts get a window's slack. */
    private void forget(String subject, long before) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, StoredStory> it = stories.range(subject + SEP, key(subject, before, ""))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(stories::delete);
    }

    private static String key(String subject, long at, String root) {
        return subject + SEP + SortableKeys.decimal(Math.max(0, at)) + SEP + root;
    }
}
