package org.opinionwatch.ingest.poll;

import java.net.URI;
import java.util.List;
import org.opinionwatch.ingest.source.ForumParser;
import org.opinionwatch.ingest.source.UnreadablePageException;

/**
 * A forum board: its list page gives the recent threads, and every poll fetches each of them again, so that their
 * view and reply counts grow as snapshots (where the thread page shows no view count, the list row's counts), with the
 * replies on the thread's first page, each a post that answers the thread. When the list page cannot be had, the
 * threads of the last good list are still re-observed. Every page goes through the context's fetcher, robots.txt and
 * the per-host interval included.
 */
final class ForumSource implements PolledSource.Poll {
    private final URI listPage;
    private final int recentThreads;
    private final ForumParser parser;
    private volatile List<ForumParser.ListedThread> threads = List.of();

    ForumSource(URI listPage, int recentThreads, ForumParser parser) {
        this.listPage = listPage;
        this.recentThreads = recentThreads;
        this.parser = parser;
    }

    @Override
    public void run(PollContext context) throws InterruptedException {
        var list = context.fetch(listPage);
        if (list.isPresent()) {
            try {
                List<ForumParser.ListedThread> found = parser.threads(list.get().text(), list.get().uri().toString());
                threads = List.copyOf(found.subList(0, Math.min(recentThreads, found.size())));
            } catch (UnreadablePageException e) {
                context.reject(listPage.toString(), e.getMessage(), SourceMetrics.Rejection.UNPARSEABLE_PAGE, list.get().text());
            }
        }
        for (ForumParser.ListedThread thread : threads) {
            var page = context.fetch(URI.create(thread.url()));
            if (page.isEmpty()) {
                continue;
            }
            readThread(context, page.get(), thread.url(), thread.views(), parser);
        }
    }

    /** One thread page: its opening post, then its replies, then the notes on them. */
    static void readThread(PollContext context, PollContext.Page page, String url, Long listedViews, ForumParser parser) {
        try {
            ForumParser.ThreadPage thread = parser.thread(page.text(), url, context.now(), listedViews);
            context.publish(thread.opening());
            thread.replies().forEach(context::publish);
            thread.notes().forEach(context::note);
        } catch (UnreadablePageException e) {
            context.reject(url, e.getMessage(), SourceMetrics.Rejection.UNPARSEABLE_PAGE, page.text());
        }
    }
}
