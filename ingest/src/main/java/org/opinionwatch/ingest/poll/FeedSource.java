package org.opinionwatch.ingest.poll;

import java.net.URI;
import java.time.Duration;
import org.opinionwatch.ingest.source.FeedParser;
import org.opinionwatch.ingest.source.UnreadablePageException;

/** A news feed (RSS or Atom): each poll publishes its items; an item that changed not at all is dropped as a repeat. */
final class FeedSource implements PolledSource {
    private final String id;
    private final URI feed;
    private final Duration pollEvery;
    private final FeedParser parser;

    FeedSource(String id, URI feed, Duration pollEvery, FeedParser parser) {
        this.id = id;
        this.feed = feed;
        this.pollEvery = pollEvery;
        this.parser = parser;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration pollEvery() {
        return pollEvery;
    }

    @Override
    public void poll(PollContext context) throws InterruptedException {
        var page = context.fetch(feed);
        if (page.isEmpty()) {
            return;
        }
        try {
            FeedParser.Result result = parser.parse(page.get().text(), feed.toString(), context.now());
            result.posts().forEach(context::publish);
            result.rejected().forEach(dl -> context.reject(dl, "invalid-item"));
        } catch (UnreadablePageException e) {
            context.reject(feed.toString(), e.getMessage(), "unparseable-page", page.get().text());
        }
    }
}
