package org.opinionwatch.ingest.poll;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.fetch.FetchException;
import org.opinionwatch.ingest.fetch.FetchResult;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.ingest.source.FeedParser;
import org.opinionwatch.ingest.source.ForumParser;
import org.opinionwatch.ingest.source.PageDecoder;
import org.opinionwatch.ingest.source.SiteProfile;
import org.opinionwatch.ingest.source.UnreadablePageException;

/**
 * One source read once, without a broker, the way a poll of live ingest reads it (the same parsers, decoding and
 * politeness), so that an operator can check a source before adding it to the config: what would be published, what
 * would be rejected and why.
 */
public final class TrySource {
    /** What is read: a news feed, a forum board's list page (and, fetched from the network, its threads), one thread page. */
    public enum Type {
        FEED, FORUM_LIST, FORUM_THREAD;

        /** The type as the command line writes it ("forum-list"). */
        public static Type of(String name) {
            for (Type type : values()) {
                if (type.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("type must be feed, forum-list or forum-thread, not '" + name + "'");
        }
    }

    /** Where what was read goes, in the order it was read. */
    public interface Output {
        /** A snapshot exactly as it would go to posts.raw. */
        void post(Post post);

        /** Input that would go to posts.dlq. */
        void rejected(DeadLetter deadLetter);

        /** A page that was fetched, and how its bytes were decoded. */
        void fetched(URI uri, String decoding);

        /** A page that could not be fetched. */
        void fetchFailed(URI uri, String reason);

        /** A thread a list page links to, with the views its row shows (null where the row shows none). */
        void listed(String url, Long views);

        /** Something to know of a post that was read (a time that could not be read). */
        void note(String note);
    }

    /** The engines with a profile of their own; a custom profile is written in the config. */
    public static final List<String> ENGINES = List.of("discuz", "phpbb");

    private TrySource() {
    }

    /**
     * Reads the source.
     *
     * @param sourceId      the source's id in the posts and dead letters
     * @param url           the page's URL: the one fetched, or the one a saved file was fetched from (relative links
     *                      resolve against it, and a thread's id is made from it)
     * @param fetcher       the pages: live ingest's HTTP fetcher, or one that serves a saved file at {@code url}
     * @param engine        a forum's engine ({@link #ENGINES}); null for a feed
     * @param zone          the zone of times written without one
     * @param recentThreads how many threads of a list page are read
     * @param fetchThreads  whether the threads of a list page are fetched and read, or only listed
     * @param bounds        what live ingest would refuse: such posts are printed as dead letters
     * @return whether the source could be read: fetched, decoded and parsed, items rejected on their own or not
     */
    public static boolean run(Type type, String sourceId, URI url, PageFetch fetcher, String engine, ZoneId zone,
                              int recentThreads, boolean fetchThreads, Output output, PostBounds bounds, Clock clock)
            throws InterruptedException {
        boolean[] unread = {false};
        PageFetch reporting = uri -> {
            try {
                FetchResult result = fetcher.fetch(uri);
                if (result instanceof FetchResult.Fetched fetched) {
                    output.fetched(fetched.uri(), decoding(fetched));
                }
                return result;
            } catch (FetchException e) {
                output.fetchFailed(uri, e.getMessage());
                unread[0] |= uri.equals(url);
                throw e;
            }
        };
        PostSink sink = new PostSink() {
            @Override
            public void publish(Post post) {
                output.post(post);
            }

            @Override
            public void reject(DeadLetter deadLetter) {
                output.rejected(deadLetter);
                unread[0] |= deadLetter.location().equals(url.toString());
            }
        };
        PollContext context = new PollContext(sourceId, reporting, sink, bounds, new Repeats(Integer.MAX_VALUE),
                new SourceMetrics(new SimpleMeterRegistry(), sourceId), clock, output::note);
        switch (type) {
            case FEED -> new FeedSource(url, new FeedParser(sourceId, false, zone)).run(context);
            case FORUM_THREAD -> {
                Optional<PollContext.Page> page = context.fetch(url);
                page.ifPresent(p -> ForumSource.readThread(context, p, url.toString(), null, forum(sourceId, engine, zone)));
                unread[0] |= page.isEmpty();
            }
            case FORUM_LIST -> {
                ForumParser parser = forum(sourceId, engine, zone);
                if (fetchThreads) {
                    new ForumSource(url, recentThreads, parser).run(context);
                } else {
                    Optional<PollContext.Page> list = context.fetch(url);
                    unread[0] |= list.isEmpty();
                    if (list.isPresent()) {
                        try {
                            parser.threads(list.get().text(), url.toString()).stream().limit(recentThreads)
                                    .forEach(thread -> output.listed(thread.url(), thread.views()));
                        } catch (UnreadablePageException e) {
                            context.reject(url.toString(), e.getMessage(), SourceMetrics.Rejection.UNPARSEABLE_PAGE, list.get().text());
                        }
                    }
                }
            }
        }
        return !unread[0];
    }

    private static ForumParser forum(String sourceId, String engine, ZoneId zone) {
        SiteProfile profile = switch (engine == null ? "" : engine) {
            case "discuz" -> SiteProfile.discuz();
            case "phpbb" -> SiteProfile.phpbb();
            default -> throw new IllegalArgumentException("a forum needs an engine: " + String.join(" or ", ENGINES)
                    + (engine == null ? "" : ", not '" + engine + "'"));
        };
        return new ForumParser(sourceId, profile.withZone(zone));
    }

    private static String decoding(FetchResult.Fetched fetched) {
        try {
            return PageDecoder.decode(fetched.body(), fetched.contentType()).basis();
        } catch (UnreadablePageException e) {
            return e.getMessage();
        }
    }

    /** A fetcher that serves saved bytes at one URL, as a server with that {@code Content-Type} would, and nothing else. */
    public static PageFetch saved(URI url, byte[] body, String contentType) {
        return uri -> {
            if (!uri.equals(url)) {
                throw new FetchException("offline", uri + " is not fetched: only the saved page is read");
            }
            return new FetchResult.Fetched(url, 200, body, contentType, Duration.ZERO);
        };
    }
}
