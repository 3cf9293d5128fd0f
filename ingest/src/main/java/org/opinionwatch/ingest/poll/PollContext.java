package org.opinionwatch.ingest.poll;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.fetch.FetchException;
import org.opinionwatch.ingest.fetch.FetchResult;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.ingest.source.PageDecoder;
import org.opinionwatch.ingest.source.UnreadablePageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a source needs for one poll, with the bookkeeping done once here: every fetch measured, every failure
 * counted by reason, every unreadable page and item and every post out of bounds sent to posts.dlq with its reason,
 * repeats dropped, posts without a readable time counted and their notes told once.
 */
final class PollContext {
    private static final Logger LOG = LoggerFactory.getLogger(PollContext.class);

    /** A fetched page, decoded; {@code charset} says how (see {@link PageDecoder.Decoded#basis()}). */
    record Page(URI uri, String text, String charset) {
    }

    private final String source;
    private final PageFetch fetcher;
    private final PostSink sink;
    private final PostBounds bounds;
    private final Repeats repeats;
    private final SourceMetrics metrics;
    private final Clock clock;
    private final Consumer<String> notes;

    /** @param notes where what an operator should know of the posts read goes (the log, once per note) */
    PollContext(String source, PageFetch fetcher, PostSink sink, PostBounds bounds, Repeats repeats, SourceMetrics metrics,
                Clock clock, Consumer<String> notes) {
        this.source = source;
        this.fetcher = fetcher;
        this.sink = sink;
        this.bounds = bounds;
        this.repeats = repeats;
        this.metrics = metrics;
        this.clock = clock;
        this.notes = notes;
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
            PageDecoder.Decoded decoded = PageDecoder.decode(fetched.body(), fetched.contentType());
            return Optional.of(new Page(fetched.uri(), decoded.text(), decoded.basis()));
        } catch (UnreadablePageException e) {
            reject(fetched.uri().toString(), e.getMessage(), SourceMetrics.Rejection.UNREADABLE_PAGE, new String(fetched.body(), StandardCharsets.UTF_8));
            return Optional.empty();
        }
    }

    void publish(Post post) {
        metrics.read(now());
        List<Limits.Violation> violations = bounds.check(post);
        if (!violations.isEmpty()) {
            reject(Limits.truncate(post.id(), Limits.ID_CHARS), PostBounds.reason(violations),
                    SourceMetrics.Rejection.INVALID_ITEM, new String(Topics.POST.serialize("", post), StandardCharsets.UTF_8));
            return;
        }
        if (repeats.isNew(post.id(), List.of(post.engagement(), post.title(), post.text(), post.author(), String.valueOf(post.url())))) {
            handOn(post.id(), () -> sink.publish(post));
            metrics.published();
            if (post.publishedAtUnknown()) {
                metrics.timeUnknown();
            }
        } else {
            metrics.duplicate();
        }
    }

    /** Something an operator should know of what was read (a time that could not be read), told once. */
    void note(String note) {
        if (repeats.isNew("note " + source + " " + note, Boolean.TRUE)) {
            notes.accept(note);
        }
    }

    /** @param tag the reason as a short stable metric tag; {@code reason} is the sentence a person reads */
    void reject(String location, String reason, SourceMetrics.Rejection tag, String input) {
        reject(DeadLetter.of(source, location, reason, input, now()), tag);
    }

    /** The same input rejected for the same reason on every poll is sent to posts.dlq once. */
    void reject(DeadLetter deadLetter, SourceMetrics.Rejection tag) {
        String key = "rejected " + source + " " + deadLetter.location();
        if (repeats.isNew(key, List.of(deadLetter.reason(), String.valueOf(deadLetter.input())))) {
            handOn(key, () -> sink.reject(deadLetter));
            metrics.rejected(tag);
        }
    }

    /** What the sink did not take (the broker away too long) is not a repeat: the next poll hands it on again. */
    private void handOn(String key, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            repeats.forget(key);
            throw e;
        }
    }
}
