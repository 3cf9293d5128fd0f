package org.opinionwatch.ingest.poll;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.fetch.FetchSettings;
import org.opinionwatch.ingest.fetch.HttpFetcher;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.ingest.push.PushEndpoint;
import org.opinionwatch.ingest.push.PushSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live ingest, around the clock: every configured source polled on its own schedule, each on a thread of its own so
 * that a slow or failing source never holds the others; the push endpoint when enabled; and a heartbeat of the wall
 * clock on the clock topic, so that timers downstream fire in quiet periods. Every post is held to the live bounds
 * of {@code ingest.limits} ({@link PostBounds#live}).
 */
public final class LiveIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveIngest.class);
    private static final int REMEMBERED_KEYS = 100_000;

    private final ScheduledExecutorService scheduler;
    private final HttpFetcher fetcher;
    private final PushEndpoint push;

    private LiveIngest(ScheduledExecutorService scheduler, HttpFetcher fetcher, PushEndpoint push) {
        this.scheduler = scheduler;
        this.fetcher = fetcher;
        this.push = push;
    }

    /**
     * @param origin the config file, for errors in source definitions
     * @param endpoints the limits of the push endpoint's HTTP server
     */
    public static LiveIngest start(OpinionWatchConfig.Ingest settings, OpinionWatchConfig.Endpoints endpoints, String origin,
                                   PostPublisher publisher, MeterRegistry registry, Clock clock) throws IOException {
        List<PolledSource> sources = Sources.from(settings.sources(), origin);
        HttpFetcher fetcher = fetcher(settings.http());
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(sources.size() + 1, r -> {
            Thread t = new Thread(r, "ingest-poller");
            t.setDaemon(true);
            return t;
        });
        Repeats repeats = new Repeats(REMEMBERED_KEYS);
        PostBounds bounds = PostBounds.live(settings.limits(), clock);
        for (PolledSource source : sources) {
            SourceMetrics metrics = new SourceMetrics(registry, source.id()).pollsEvery(source.pollEvery());
            PollContext context = new PollContext(source.id(), fetcher::fetch, publisher, bounds, repeats, metrics, clock,
                    note -> LOG.info("source {}: {}", source.id(), note));
            scheduler.scheduleWithFixedDelay(() -> pollSafely(source, context), 0, source.pollEvery().toMillis(), TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleAtFixedRate(() -> heartbeatSafely(publisher, clock), 0, settings.heartbeatEvery().toMillis(), TimeUnit.MILLISECONDS);
        PushEndpoint push = null;
        var p = settings.push();
        if (p.enabled()) {
            push = PushEndpoint.start(new PushSettings(p.host(), p.port(), p.path(), p.token(), p.maxBodyBytes(), p.maxBatch()),
                    counted(publisher, new SourceMetrics(registry, "push")), endpoints, bounds);
        }
        return new LiveIngest(scheduler, fetcher, push);
    }

    /** The fetcher of live ingest's pages, with the config's timeouts, retries and politeness; the caller closes it. */
    public static HttpFetcher fetcher(OpinionWatchConfig.Http http) {
        return new HttpFetcher(new FetchSettings(http.userAgent(), http.connectTimeout(), http.requestTimeout(),
                http.maxAttempts(), http.initialBackoff(), http.perHostInterval(), http.obeyRobots(), http.maxBodyBytes()));
    }

    /** The push endpoint's port, or -1 when it is not enabled. */
    public int pushPort() {
        return push == null ? -1 : push.port();
    }

    /** A thrown exception would cancel the source's schedule: log it and poll again next time. */
    private static void pollSafely(PolledSource source, PollContext context) {
        try {
            source.poll().run(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) { // stopping, while the poll waited for room for its posts
                LOG.error("source {}: poll failed, next poll in {}", source.id(), source.pollEvery(), e);
            }
        }
    }

    private static void heartbeatSafely(PostPublisher publisher, Clock clock) {
        try {
            publisher.heartbeat(clock.instant(), "ingest");
        } catch (RuntimeException e) {
            LOG.error("cannot send the heartbeat", e);
        }
    }

    private static PostSink counted(PostSink sink, SourceMetrics metrics) {
        return new PostSink() {
            @Override
            public void publish(Post post) {
                sink.publish(post);
                metrics.published();
            }

            @Override
            public void reject(DeadLetter deadLetter) {
                sink.reject(deadLetter);
                metrics.rejected(SourceMetrics.Rejection.INVALID_PUSH);
            }

            @Override
            public void offer(List<Post> posts) throws Unavailable {
                sink.offer(posts);
                posts.forEach(post -> metrics.published());
            }

            @Override
            public boolean tryReject(DeadLetter deadLetter) {
                boolean taken = sink.tryReject(deadLetter);
                metrics.rejected(SourceMetrics.Rejection.INVALID_PUSH); // refused whether or not its dead letter had room
                return taken;
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        if (push != null) {
            push.close();
        }
        fetcher.close();
    }
}
