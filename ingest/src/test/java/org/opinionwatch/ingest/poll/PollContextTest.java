package org.opinionwatch.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.fetch.FetchSettings;
import org.opinionwatch.ingest.fetch.HttpFetcher;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostSink;

/** What a poll hands on: posts within the live bounds, dead letters for the rest, and nothing lost to a busy sink. */
class PollContextTest {
    private static final Instant NOW = Instant.parse("2024-05-21T02:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PostBounds BOUNDS = PostBounds.live(
            new OpinionWatchConfig.InputLimits(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofMinutes(5)), CLOCK);

    private final HttpFetcher fetcher = new HttpFetcher(FetchSettings.defaults());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Post> published = new ArrayList<>();
    private final List<DeadLetter> rejected = new ArrayList<>();
    private boolean busy;

    private final PostSink sink = new PostSink() {
        @Override
        public void publish(Post post) {
            if (busy) {
                throw new IllegalStateException("the broker took nothing for PT2M");
            }
            published.add(post);
        }

        @Override
        public void reject(DeadLetter deadLetter) {
            rejected.add(deadLetter);
        }
    };
    private final PollContext context = new PollContext("city-daily", fetcher::fetch, sink, BOUNDS, new Repeats(100),
            new SourceMetrics(registry, "city-daily"), CLOCK, note -> { });

    @AfterEach
    void close() {
        fetcher.close();
    }

    private static Post item(Instant published) {
        return new Post("https://news.example.cn/1.htm", "city-daily", "https://news.example.cn/1.htm", "通报", "正文", "",
                published, NOW, Engagement.ZERO, true, null);
    }

    /** A feed whose zone is set wrong dates its items hours ahead: a dead letter that says so, once. */
    @Test
    void aPolledPostOutOfBoundsIsADeadLetterOnce() {
        Post ahead = item(NOW.plus(Duration.ofHours(8)));
        context.publish(ahead);
        context.publish(ahead);

        assertEquals(List.of(), published);
        assertEquals(1, rejected.size());
        assertEquals("https://news.example.cn/1.htm", rejected.get(0).location());
        assertEquals("out of bounds: publishedAt is 2024-05-21T10:00:00Z, more than PT5M ahead of ingest's clock at "
                + "2024-05-21T02:00:00Z (ingest.limits.maxSkew)", rejected.get(0).reason());
        assertEquals(1.0, registry.get("ingest.posts.rejected").tag("source", "city-daily").tag("reason", "invalid-item").counter().count());
    }

    @Test
    void aPostTheSinkDidNotTakeIsNoRepeatAtTheNextPoll() {
        Post post = item(NOW.minus(Duration.ofHours(1)));
        busy = true;
        assertThrows(IllegalStateException.class, () -> context.publish(post));
        busy = false;
        context.publish(post);
        context.publish(post);

        assertEquals(List.of(post), published, "handed on at the next poll, and once");
        assertTrue(registry.get("ingest.posts.duplicates").counter().count() == 1.0);
    }
}
