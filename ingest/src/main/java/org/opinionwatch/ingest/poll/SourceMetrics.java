package org.opinionwatch.ingest.poll;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one source, tagged {@code source=<id>}: fetches, fetch failures by reason, fetch latency, posts
 * published, those of them without a readable time, duplicates dropped, input rejected by reason, the time the source
 * was last read and, for a polled source, its polling period.
 */
public final class SourceMetrics {
    private final MeterRegistry registry;
    private final String source;
    private final Counter fetched;
    private final Counter notModified;
    private final Counter published;
    private final Counter duplicates;
    private final Counter timeUnknown;
    private final Timer latency;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final java.util.Map<Rejection, Counter> rejected = new java.util.EnumMap<>(Rejection.class);

    /** Why input went to posts.dlq: the {@code reason} tag of {@code ingest.posts.rejected}. */
    public enum Rejection {
        INVALID_ITEM, UNPARSEABLE_PAGE, UNREADABLE_PAGE, INVALID_PUSH, INVALID_RECORD;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public SourceMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
        this.fetched = Counter.builder("ingest.fetches").tag("source", source).tag("outcome", "fetched")
                .description("Pages and feeds fetched").register(registry);
        this.notModified = Counter.builder("ingest.fetches").tag("source", source).tag("outcome", "not-modified")
                .description("Pages and feeds fetched").register(registry);
        this.published = Counter.builder("ingest.posts.published").tag("source", source)
                .description("Post snapshots published to posts.raw").register(registry);
        this.duplicates = Counter.builder("ingest.posts.duplicates").tag("source", source)
                .description("Snapshots dropped because they repeat the last one published of the post").register(registry);
        this.timeUnknown = Counter.builder("ingest.posts.time.unknown").tag("source", source)
                .description("Post snapshots published without a time the source gave that could be read (publishedAt is their observation time)")
                .register(registry);
        this.latency = Timer.builder("ingest.fetch.latency").tag("source", source)
                .description("Time to fetch a page or feed, retries included").publishPercentileHistogram().register(registry);
        // Registered at zero: Prometheus's increase() then counts a source's very first rejection too.
        for (Rejection r : Rejection.values()) {
            rejected.put(r, Counter.builder("ingest.posts.rejected").tag("source", source).tag("reason", r.tag())
                    .description("Input sent to posts.dlq, by reason").register(registry));
        }
        // Strong: Micrometer holds gauge state weakly, and the time must outlive a source's poll context.
        Gauge.builder("ingest.last.success", lastSuccess, AtomicLong::get).strongReference(true).tag("source", source)
                .description("Epoch seconds of the last time the source was read: a post snapshot read from it, or a page "
                        + "of it unchanged since it was last fetched (0: not yet)").baseUnit("seconds").register(registry);
    }

    /** A polled source's period, beside its last success: an alert tells a silent source by the periods it missed. */
    public SourceMetrics pollsEvery(Duration period) {
        Gauge.builder("ingest.poll.interval", period, p -> p.toMillis() / 1000.0).strongReference(true).tag("source", source)
                .description("The source's polling period (pollEvery)").baseUnit("seconds").register(registry);
        return this;
    }

    /**
     * A page fetched; one unchanged since the last fetch shows the source answering with what was read before, so it
     * counts as the source read.
     */
    public void fetched(Duration took, boolean modified, Instant at) {
        (modified ? fetched : notModified).increment();
        latency.record(took);
        if (!modified) {
            lastSuccess.set(at.getEpochSecond());
        }
    }

    /**
     * A post snapshot read from the source, new or a repeat: a page fetched but unreadable, or one that yields no post
     * (a board that changed its layout, a block page), does not count.
     */
    public void read(Instant at) {
        lastSuccess.set(at.getEpochSecond());
    }

    public void fetchFailed(String reason) {
        Counter.builder("ingest.fetch.failures").tag("source", source).tag("reason", reason)
                .description("Fetches that failed after their retries, by reason").register(registry).increment();
    }

    public void published() {
        published.increment();
    }

    public void timeUnknown() {
        timeUnknown.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }
}
