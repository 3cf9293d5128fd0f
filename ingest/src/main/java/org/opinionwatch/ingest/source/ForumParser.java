package org.opinionwatch.ingest.source;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

/**
 * Reads a forum's pages with a {@link SiteProfile}: list pages give the threads to fetch, a thread page gives one
 * snapshot of its opening post with the thread's view and reply counts as they are now, and the replies on it, each a
 * post of its own that answers the thread. Pure: no network, the caller fetches and decodes (see {@link PageDecoder}).
 *
 * <p>Times are read from the page's text in the forum's zone ({@link TimeText}); a post whose time cannot be read is
 * still published, at its observation time, marked as such, and the thread page says why in its notes.
 */
public final class ForumParser {
    /** A count as forums write it: "1024", "1,024", and in Chinese templates "1.2万" (ten thousands). */
    private static final Pattern COUNT = Pattern.compile("(\\d[\\d,]*(?:\\.\\d+)?)\\s*(万)?");

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final String source;
    private final SiteProfile profile;
    private final Pattern threadUrl;
    private final DateTimeFormatter publishedFormat;
    private final TimeText times;

    /** @param source the source id of the forum in the ingest config; it is each post's {@code source} */
    public ForumParser(String source, SiteProfile profile) {
        this.source = source;
        this.profile = profile;
        this.threadUrl = Pattern.compile(profile.threadUrl());
        this.publishedFormat = profile.publishedPattern() == null ? null
                : DateTimeFormatter.ofPattern(profile.publishedPattern(), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        this.times = new TimeText(profile.zone());
    }

    /**
     * What a thread page gave.
     *
     * @param opening the opening post, with the thread's counts
     * @param replies the replies on the page, in page order: posts without engagement of their own (the thread counts
     *                them) whose {@code repostOf} is the thread, ids the thread's URL with {@code #p} and the post's
     *                number
     * @param notes   what an operator should know of the posts that were read: times that could not be read
     */
    public record ThreadPage(Post opening, List<Post> replies, List<String> notes) {
        public ThreadPage {
            replies = List.copyOf(replies);
            notes = List.copyOf(notes);
        }
    }

    /**
     * A thread as its board's list page shows it.
     *
     * @param url the canonical thread URL (see {@link #canonicalThreadUrl})
     * @param views the view count in the thread's row, or null where the profile reads views on the thread page
     */
    public record ListedThread(String url, Long views) {
    }

    /**
     * The threads a list page links to, in page order, each once.
     *
     * @throws UnreadablePageException if the page links to no thread at all (the profile no longer fits the site,
     *                                 or the forum answered with a login or error page instead of the list), or a
     *                                 listed view count the profile expects is missing
     */
    public List<ListedThread> threads(String html, String pageUrl) throws UnreadablePageException {
        Document page = Jsoup.parse(html, pageUrl); // honours <base href>, which Discuz sets
        Elements links = page.select(profile.threadLinks());
        Map<String, ListedThread> threads = new LinkedHashMap<>();
        for (Element link : links) {
            Optional<String> url = canonicalThreadUrl(link.absUrl("href"));
            if (url.isPresent() && !threads.containsKey(url.get())) {
                threads.put(url.get(), new ListedThread(url.get(), listedViews(link, page)));
            }
        }
        if (threads.isEmpty()) {
            throw new UnreadablePageException(links.isEmpty()
                    ? "list page links to no thread: nothing matches '" + profile.threadLinks() + "'" + pageTitle(page)
                    : "list page links to no thread: none of the " + links.size() + " links matching '" + profile.threadLinks()
                    + "' is a thread URL (/" + profile.threadUrl() + "/)" + pageTitle(page));
        }
        return List.copyOf(threads.values());
    }

    private Long listedViews(Element link, Document page) throws UnreadablePageException {
        if (profile.listRow() == null) {
            return null;
        }
        Element row = link.closest(profile.listRow());
        if (row == null) {
            throw new UnreadablePageException("list page: a thread link is in no row matching '" + profile.listRow() + "'" + pageTitle(page));
        }
        return count(row, "listed view count", profile.listViews(), page);
    }

    /**
     * The canonical URL of a thread: scheme and host in lower case, no default port, the forum's directory, then the
     * profile's {@code canonicalThread}. Pages, session ids, highlight words and fragments are gone, so the same
     * thread is the same post on every poll. Empty if the URL is not a thread URL of this profile.
     */
    public Optional<String> canonicalThreadUrl(String url) {
        Matcher thread = threadUrl.matcher(url);
        if (!thread.find()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String directory = path.substring(0, path.lastIndexOf('/') + 1);
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                + directory + profile.canonicalThread().replace("{id}", thread.group(1)));
    }

    /**
     * One snapshot of a thread: its opening post, with the thread's counts as engagement (views, and replies as
     * comments), and the replies on the page. The opening post's id and url are the canonical thread URL.
     *
     * @param pageUrl    the URL the page was fetched from
     * @param observedAt when the page was fetched
     * @throws UnreadablePageException if the URL is not a thread URL, the title or body is missing, or a count the
     *                                 profile expects is missing or unreadable; the message says which
     */
    public ThreadPage thread(String html, String pageUrl, Instant observedAt) throws UnreadablePageException {
        return thread(html, pageUrl, observedAt, null);
    }

    /**
     * The same, with the view count the list page showed for the thread: it counts where the profile reads no
     * views on the thread page.
     */
    public ThreadPage thread(String html, String pageUrl, Instant observedAt, Long listedViews) throws UnreadablePageException {
        String url = canonicalThreadUrl(pageUrl).orElseThrow(() -> new UnreadablePageException(
                "not a thread URL of the " + profile.name() + " profile (/" + profile.threadUrl() + "/): " + pageUrl));
        Document page = Jsoup.parse(html, pageUrl);
        String title = PlainText.fromText(required(page, "title", profile.title()).text());
        if (title.isEmpty()) {
            throw new UnreadablePageException("thread title is empty: '" + profile.title() + "' matches an empty element");
        }
        Elements posts = profile.post() == null ? new Elements() : page.select(profile.post());
        Element first = posts.isEmpty() ? page : posts.get(0);
        Element body = first.selectFirst(profile.body());
        if (body == null) {
            throw new UnreadablePageException("thread page has no body: nothing matches '" + profile.body() + "'" + pageTitle(page));
        }
        long replies = count(page, "reply count", profile.replies(), page);
        if (profile.repliesCountOpener()) {
            replies = Math.max(0, replies - 1);
        }
        long views = profile.views() == null && listedViews != null ? listedViews : count(page, "view count", profile.views(), page);
        List<String> notes = new ArrayList<>();
        Instant published = published(first, observedAt, url, notes);
        // the text may be empty: a post can be only a picture; the title counts
        Post opening = new Post(url, source, url, title, text(body), author(first), published, observedAt,
                new Engagement(views, replies, 0, 0), false, null, published == null);
        List<Post> replyPosts = new ArrayList<>();
        for (int i = 1; i < posts.size(); i++) {
            Element post = posts.get(i);
            String id = url + "#p" + postNumber(post, i);
            Element replyBody = post.selectFirst(profile.body());
            Instant at = published(post, observedAt, id, notes);
            replyPosts.add(new Post(id, source, id, "", replyBody == null ? "" : text(replyBody), author(post), at, observedAt,
                    null, false, url, at == null));
        }
        return new ThreadPage(opening, replyPosts, notes);
    }

    /** The post's text without what is not the author's (the profile's exclusions). */
    private String text(Element body) {
        Element copy = body.clone(); // the exclusions must not change the page
        if (profile.bodyExclude() != null) {
            copy.select(profile.bodyExclude()).remove();
        }
        return PlainText.fromHtml(copy.html());
    }

    private String author(Element post) {
        Element author = profile.author() == null ? null : post.selectFirst(profile.author());
        return author == null ? "" : author.text().strip();
    }

    /** A reply's number on the forum: the first number of its container's id, or of its first named anchor; else its place on the page. */
    private static String postNumber(Element post, int place) {
        for (String candidate : new String[] {post.id(), anchor(post)}) {
            Matcher number = NUMBER.matcher(candidate);
            if (number.find()) {
                return number.group();
            }
        }
        return "-" + place;
    }

    private static String anchor(Element post) {
        Element named = post.selectFirst("a[name], a[id]");
        return named == null ? "" : named.hasAttr("name") ? named.attr("name") : named.id();
    }

    private Element required(Document page, String what, String selector) throws UnreadablePageException {
        Element element = page.selectFirst(selector);
        if (element == null) {
            throw new UnreadablePageException("thread page has no " + what + ": nothing matches '" + selector + "'" + pageTitle(page));
        }
        return element;
    }

    /**
     * A post's time, or null, with a note saying why, if the page does not show one that can be read. The value is the
     * element's {@code datetime}, else that of a {@code time} element inside it, else its {@code title}, else its
     * text; the profile's pattern is tried on it first, then every form {@link TimeText} knows.
     */
    private Instant published(Element post, Instant observedAt, String id, List<String> notes) {
        if (profile.published() == null) {
            notes.add(id + ": the " + profile.name() + " profile reads no time; published at its observation time");
            return null;
        }
        Element element = post.selectFirst(profile.published());
        if (element == null) {
            notes.add(id + ": no time, nothing matches '" + profile.published() + "'; published at its observation time");
            return null;
        }
        Element time = element.selectFirst("time[datetime]");
        String value = element.hasAttr("datetime") ? element.attr("datetime")
                : time != null ? time.attr("datetime")
                : element.hasAttr("title") ? element.attr("title") : element.text();
        Instant at = publishedFormat == null ? null : parseTime(value);
        if (at == null) {
            at = times.read(value, observedAt).orElse(null);
        }
        if (at == null) {
            notes.add(id + ": '" + value.strip() + "' (from '" + profile.published() + "') is no time that can be read; "
                    + "published at its observation time");
        }
        return at;
    }

    /** The first date of the profile's pattern found in the value, or null. */
    private Instant parseTime(String value) {
        for (int start = 0; start < value.length(); start++) {
            try {
                TemporalAccessor parsed = publishedFormat.parse(value, new ParsePosition(start));
                return parsed.isSupported(ChronoField.OFFSET_SECONDS)
                        ? Instant.from(parsed)
                        : LocalDateTime.from(parsed).atZone(profile.zone()).toInstant();
            } catch (DateTimeException e) {
                // no date of the pattern starts here; try the next position
            }
        }
        return null;
    }

    /** A count the profile locates inside {@code scope}; 0 if the profile has no selector for it (the page does not show it). */
    private static long count(Element scope, String what, String selector, Document page) throws UnreadablePageException {
        if (selector == null) {
            return 0;
        }
        Element element = scope.selectFirst(selector);
        if (element == null) {
            throw new UnreadablePageException((scope == page ? "thread page" : "list row") + " has no " + what
                    + ": nothing matches '" + selector + "'" + pageTitle(page));
        }
        Long count = parseCount(element.text());
        if (count == null) {
            throw new UnreadablePageException(what + " '" + element.text() + "' (from '" + selector + "') is not a number");
        }
        return count;
    }

    /** The first count in a text ("1,024", "1.2万"), or null if there is none. */
    static Long parseCount(String text) {
        Matcher count = COUNT.matcher(text);
        if (!count.find()) {
            return null;
        }
        BigDecimal value = new BigDecimal(count.group(1).replace(",", ""));
        return (count.group(2) == null ? value : value.multiply(BigDecimal.valueOf(10_000))).longValue();
    }

    /** The page's own title, for a reason: a login wall or "thread deleted" page says so there. */
    private static String pageTitle(Document page) {
        return page.title().isBlank() ? "" : " (page title: " + page.title().strip() + ")";
    }
}
