package org.opinionwatch.classifier.topology;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.opinionwatch.classifier.category.Categorization;
import org.opinionwatch.classifier.category.ContentCategory;
import org.opinionwatch.classifier.category.SensitiveDomain;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.story.StoryFingerprint;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.runtime.state.CommitHook;
import org.opinionwatch.runtime.state.RecentlyUsed;

/**
 * Turns cumulative post snapshots into increments, keyed by incident. Per post it keeps the highest engagement
 * ever observed: a re-observed post adds only its growth, and an older or repeated snapshot adds nothing.
 */
final class IncrementProcessor implements Processor<String, Post, String, Increment> {
    /** Posts kept as objects per task: those re-observed soon, as a poller re-reads a busy thread. */
    private static final int RECENT_POSTS = 20_000;
    private final OpinionWatchConfig.Classifier configured;
    private final ClassifierMetrics metrics;
    private ProcessorContext<String, Increment> context;
    private RecentlyUsed<PostProgress> progress;
    private CurrentRules rules;

    IncrementProcessor(OpinionWatchConfig.Classifier configured, ClassifierMetrics metrics) {
        this.configured = configured;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Increment> context) {
        this.context = context;
        this.progress = RecentlyUsed.deferred(context.getStateStore(ClassifierTopology.POST_PROGRESS_STORE), RECENT_POSTS);
        context.<CommitHook>getStateStore(ClassifierTopology.POST_PROGRESS_COMMIT).beforeCommit(progress::writeAll);
        this.rules = new CurrentRules(configured, context.getStateStore(RulesStore.NAME));
    }

    @Override
    public void process(Record<String, Post> record) {
        Post post = record.value();
        RuleBook book = rules.get();
        PostProgress seen = progress.get(post.id());
        boolean first = seen == null;
        Optional<String> subject = first ? book.matcher().match(post) : Optional.ofNullable(seen.subject());
        boolean root = post.repostOf() == null;
        if (first && root && subject.isEmpty()) {
            metrics.classified(false, List.of());
            return; // an original post on no monitored subject is no incident; nothing to keep
        }
        Engagement before = first ? Engagement.ZERO : seen.max();
        Engagement max = before.max(post.engagement());
        Engagement delta = max.minus(before);
        if (!first && delta.isZero()) {
            return; // repeated or out-of-order snapshot: counts never go backwards or double
        }
        progress.put(post.id(), new PostProgress(max, subject.orElse(null)));
        String outlet = first && post.mainstream() ? outletOf(post) : null;
        // A post's content is categorized once, at its first observation; its incident keeps what it learned.
        Categorization categorization = first ? book.categorizer().categorize(post.title(), post.text()) : null;
        Increment increment = new Increment(post.rootId(), subject.orElse(null),
                PostRef.of(post), root, post.observedAt(), delta,
                outlet == null ? List.of() : List.of(outlet), first ? 1 : 0,
                first && categorization.needsReply(),
                first ? categorization.domains().stream().map(SensitiveDomain::key).sorted().toList() : List.of(),
                first ? categorization.categories().stream().map(ContentCategory::label).toList() : List.of(),
                first && root && subject.isPresent() ? StoryFingerprint.essence(post.title(), post.text()) : null, null);
        if (first) {
            metrics.classified(subject.isPresent(), increment.categories());
        }
        // The headers go along: the intake time in them is where the incident's latency is measured from.
        context.forward(new Record<>(post.rootId(), increment, post.observedAt().toEpochMilli(), record.headers()));
    }

    /** Distinct outlets are told apart by their account, falling back to the source they were collected from. */
    private static String outletOf(Post post) {
        return post.author().isBlank() ? post.source() : post.source() + "/" + post.author();
    }
}
