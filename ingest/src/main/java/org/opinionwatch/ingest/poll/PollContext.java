package org.opinionwatch.ingest.poll;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.fetch.FetchException;
import org.opinionwatch.ingest.fetch.FetchResult;
import org.opinionwatch.ingest.fetch.HttpFetcher;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.ingest.source.PageDecoder;
import org.opinionwatch.ingest.source.UnreadablePageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a source needs for one poll, with the bookkeeping done once here: every fetch measured, every failure
 * counted by reason, every unreadable page and item sent to posts.dlq with its reason, repeats dropped.
 */
final class PollContext {
    private static final Logger LOG = LoggerFactory.getLogger(PollContext.class);

    /** A fetched page, decoded. */
    record Page(URI uri, String text) {
    }

    private final String source;
    private final HttpFetcher fetcher;
    private final PostSink sink;
    private final Repeats repeats;
    private final SourceMetrics metrics;
    private final Clock clock;

    PollContext(String source, HttpFetcher fetcher, PostSink sink, Repeats repeats, SourceMetrics metrics, Clock clock) {
        this.source = source;
        this.fetcher = fetcher;
        this.sink = sink;
        this.repeats = repeats;
        this.metrics = metrics;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * The page at {@code uri}, or empty when it has not changed since the last fetch, could not be fetched (counted
     * and logged; the next poll tries again) or could not be decoded (sent to posts.dlq).
     */
    Optional<Page> fetch(URI uri) throws InterruptedException {
        FetchResult result;
        try {
            result = fetcher.fetch(uri);
        } catch (FetchException e) {
            metrics.fetchFailed(e.reason());
            LOG.warn("source {}: {}", source, e.getMessage()); // the message names the URL
            return Optional.empty();
        }
        if (result instanceof FetchResult.NotModified notModified) {
            metrics.fetched(notModified.latency(), false, now());
            return Optional.empty();
        }
        FetchResult.Fetched fetched = (FetchResult.Fetched) result;
        metrics.fetched(fetched.latency(), true, now());
        try {
            return Optional.of(new Page(fetched.uri(), PageDecoder.decode(fetched.body(), fetched.contentType()).text()));
        } catch (UnreadablePageException e) {
            reject(fetched.uri().toString(), e.getMessage(), SourceMetrics.Rejection.UNREADABLE_PAGE, new String(fetched.body(), StandardCharsets.UTF_8));
            return Optional.empty();
        }
    }

    void publish(Post post) {
        metrics.read(now());
        if (repeats.isNew(post.id(), List.of(post.engagement(), post.title(), post.text(), post.author(), String.valueOf(post.url())))) {
            sink.publish(post);
            metrics.published();
        } else {
            metrics.duplicate();
        }
    }

    /** @param tag the reason as a short stable metric tag; {@code reason} is the sentence a person reads */
    void reject(String location, String reason, SourceMetrics.Rejection tag, String input) {
        reject(DeadLetter.of(source, location, reason, input, now()), tag);
    }

    /** The same input rejected for the same reason on every poll is sent to posts.dlq once. */
    void reject(DeadLetter deadLetter, SourceMetrics.Rejection tag) {
        if (repeats.isNew("rejected " + source + " " + deadLetter.location(), List.of(deadLetter.reason(), String.valueOf(deadLetter.input())))) {
            sink.reject(deadLetter);
            metrics.rejected(tag);
        }
    }
}
