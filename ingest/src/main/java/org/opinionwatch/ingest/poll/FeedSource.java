package org.opinionwatch.ingest.poll;

import java.net.URI;
import org.opinionwatch.ingest.source.FeedParser;
import org.opinionwatch.ingest.source.UnreadablePageException;

/** A news feed (RSS or Atom): each poll publishes its items; an item that changed not at all is dropped as a repeat. */
final class FeedSource implements PolledSource.Poll {
    private final URI feed;
    private final FeedParser parser;

    FeedSource(URI feed, FeedParser parser) {
        this.feed = feed;
        this.parser = parser;
    }

    @Override
    public void run(PollContext context) throws InterruptedException {
        var page = context.fetch(feed);
        if (page.isEmpty()) {
            return;
        }
        try {
            FeedParser.Result result = parser.parse(page.get().text(), feed.toString(), context.now());
            result.posts().forEach(context::publish);
            result.rejected().forEach(dl -> context.reject(dl, SourceMetrics.Rejection.INVALID_ITEM));
            result.notes().forEach(context::note);
        } catch (UnreadablePageException e) {
            context.reject(feed.toString(), e.getMessage(), SourceMetrics.Rejection.UNPARSEABLE_PAGE, page.get().text());
        }
    }
}
