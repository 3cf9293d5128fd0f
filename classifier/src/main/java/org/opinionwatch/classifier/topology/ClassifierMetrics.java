package org.opinionwatch.classifier.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.runtime.metrics.TaskGauges;

/**
 * The classifier's meters: posts rejected by reason, new posts by content category, open incidents by level,
 * severity changes by level and direction, the latency from a post's intake to the severity change it caused, and
 * the increments whose engagement came too late to count.
 * Under exactly-once a task that is retried after a failure counts its records again: the counters can run ahead of
 * the output topics by what one failed transaction held.
 */
final class ClassifierMetrics {
    /** Category of a new post on no monitored subject (yet: a repost whose original is still unseen). */
    static final String UNMATCHED = "unmatched";

    /** Why a record of posts.raw went to posts.dlq: the {@code reason} tag of {@code classifier.posts.rejected}. */
    enum Rejection {
        EMPTY_RECORD, NOT_UTF_8, INVALID_POST, OUT_OF_BOUNDS, KEY_MISMATCH;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter late;
    private final java.util.Map<Rejection, Counter> rejected = new java.util.EnumMap<>(Rejection.class);
    final TaskGauges<Level> open;

    ClassifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("classifier.severity.latency")
                .description("From a post's intake by ingest to the severity change it caused")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        // Registered at zero: Prometheus's increase() then counts the very first rejection too.
        for (Rejection r : Rejection.values()) {
            rejected.put(r, Counter.builder("classifier.posts.rejected").tags("source", PostParser.SOURCE, "reason", r.tag())
                    .description("Records of posts.raw sent to posts.dlq, by reason").register(registry));
        }
        this.late = Counter.builder("classifier.increments.late")
                .description("Increments older than their incident's whole window: their engagement was not counted")
                .register(registry);
        this.open = new TaskGauges<>(registry, EnumSet.range(Level.MINOR, Level.CRITICAL), level -> "classifier.incidents.open",
                level -> Tags.of("level", level.name()), "Open incidents by level");
    }

    void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }

    /** A post seen for the first time: counted once per category it has (every post has one, neutral at least). */
    void classified(boolean onSubject, List<String> categories) {
        if (onSubject) {
            categories.forEach(this::classified);
        } else {
            classified(UNMATCHED);
        }
    }

    private void classified(String category) {
        Counter.builder("classifier.posts.classified").tag("category", category)
                .description("New posts by content category").register(registry).increment();
    }

    void changed(SeverityChange change) {
        Counter.builder("classifier.severity.changes")
                .tags("level", change.to().name(), "direction", change.to().isAbove(change.from()) ? "up" : "down")
                .description("Severity changes by the level reached and direction").register(registry).increment();
    }

    void late() {
        late.increment();
    }

    void latency(Duration sinceIntake) {
        latency.record(sinceIntake);
    }
}
