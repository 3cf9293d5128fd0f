package org.opinionwatch.ingest.source;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jsoup.select.Selector;

/**
 * Where a forum engine puts things: CSS selectors (jsoup syntax) for its list and thread pages. The first element a
 * selector matches is used, so a selector that matches every post of a thread picks the opening post.
 *
 * <p>Every problem is reported when the profile is built, naming the component, so that a profile written in a
 * config file fails at start-up rather than on the first page.
 *
 * @param name               for messages: the engine or site
 * @param threadLinks        list page: the links ({@code <a href>}) to threads
 * @param threadUrl          a regular expression found in a thread URL whose first group is the thread's number;
 *                           links it does not match are not threads
 * @param canonicalThread    the thread's canonical URL relative to the forum's directory, {@code {id}} standing for
 *                           the number: every URL form of one thread (another page, a session id, a rewritten path)
 *                           gives the same canonical URL, which is the post id
 * @param title              thread page: the thread's title (required)
 * @param body               thread page: the opening post's body (required)
 * @param bodyExclude        inside the body, what is not the author's text (quotes, edit notes, anti-scraping
 *                           filler), or null
 * @param author             thread page: the opening post's author, or null
 * @param published          thread page: the opening post's time, or null. Its value is the element's
 *                           {@code datetime} attribute, else its {@code title} attribute, else its text
 * @param publishedPattern   a {@link DateTimeFormatter} pattern found anywhere in that value (so a prefix like
 *                           "发表于" needs no selector of its own); with an offset in it, {@code zone} is not used
 * @param views              thread page: the view count, or null if the thread page does not show one
 * @param replies            thread page: the reply count, or null if the thread page does not show one
 * @param repliesCountOpener whether the reply count counts the opening post too (phpBB counts posts)
 * @param zone               the time zone in which the forum writes times without an offset
 * @param listRow            list page: one thread's row, around its link, or null
 * @param listViews          inside a list row, the thread's view count, or null: for engines whose thread page
 *                           shows none (phpBB), the list page is where views are counted
 */
public record SiteProfile(
        String name,
        String threadLinks,
        String threadUrl,
        String canonicalThread,
        String title,
        String body,
        String bodyExclude,
        String author,
        String published,
        String publishedPattern,
        String views,
        String replies,
        boolean repliesCountOpener,
        ZoneId zone,
        String listRow,
        String listViews) {

    /** Schools and towns watched are in China; the forums write Beijing time. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    public SiteProfile {
        require(name, "name");
        selector(require(threadLinks, "threadLinks"), "threadLinks");
        try {
            if (Pattern.compile(require(threadUrl, "threadUrl")).matcher("").groupCount() < 1) {
                throw new IllegalArgumentException("threadUrl needs a group that captures the thread's number: " + threadUrl);
            }
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("threadUrl is not a regular expression: " + e.getMessage(), e);
        }
        if (!require(canonicalThread, "canonicalThread").contains("{id}")) {
            throw new IllegalArgumentException("canonicalThread must contain {id}: " + canonicalThread);
        }
        selector(require(title, "title"), "title");
        selector(require(body, "body"), "body");
        selector(bodyExclude, "bodyExclude");
        selector(author, "author");
        selector(published, "published");
        selector(views, "views");
        selector(replies, "replies");
        if ((published == null) != (publishedPattern == null)) {
            throw new IllegalArgumentException("published and publishedPattern go together: give both or neither");
        }
        if (publishedPattern != null) {
            try {
                DateTimeFormatter.ofPattern(publishedPattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("publishedPattern is not a date pattern: " + e.getMessage(), e);
            }
        }
        if (replies == null && repliesCountOpener) {
            throw new IllegalArgumentException("repliesCountOpener needs a replies selector");
        }
        Objects.requireNonNull(zone, "zone is required");
        selector(listRow, "listRow");
        selector(listViews, "listViews");
        if ((listRow == null) != (listViews == null)) {
            throw new IllegalArgumentException("listRow and listViews go together: give both or neither");
        }
    }

    /** The same profile for a forum that writes its times in another zone. */
    public SiteProfile withZone(ZoneId other) {
        return new SiteProfile(name, threadLinks, threadUrl, canonicalThread, title, body, bodyExclude, author, published,
                publishedPattern, views, replies, repliesCountOpener, other, listRow, listViews);
    }

    /**
     * Discuz! X3 (X3.2 to X3.5, default template), the most common engine of Chinese school and town forums.
     * Thread links: the title links of normal threads ({@code tbody id="normalthread_N"}); pinned threads are the
     * board's announcements. Thread URLs: {@code forum.php?mod=viewthread&tid=N} and, with URL rewriting,
     * {@code thread-N-PAGE-LISTPAGE.html}. Recent times are shown as "3 天前" with the exact time in a {@code span
     * title}; older ones as text after "发表于". The body drops quotes, the "本帖最后由 … 编辑" note, attachment
     * boxes and the anti-scraping filler Discuz hides in the text ({@code font.jammer}, hidden spans).
     */
    public static SiteProfile discuz() {
        return new SiteProfile("Discuz! X3",
                "tbody[id^=normalthread] a.xst",
                "(?:forum\\.php\\?(?:.*&)?tid=|/thread-)(\\d+)",
                "forum.php?mod=viewthread&tid={id}",
                "#thread_subject",
                "td.t_f",
                "i.pstatus, div.quote, div.blockcode, ignore_js_op, div.attach_nopermission, font.jammer, "
                        + "[style*=display:none], [style*=display: none]",
                "div.favatar div.authi a.xw1",
                "em[id^=authorposton] > span[title], em[id^=authorposton]:not(:has(span[title]))",
                "uuuu-M-d H:mm[:ss]",
                "div.hm span.xg1:contains(查看) + span.xi1",
                "div.hm span.xg1:contains(回复) + span.xi1",
                false,
                DEFAULT_ZONE,
                null,
                null);
    }

    /**
     * phpBB 3.2 and 3.3 (prosilver style). Thread URLs: {@code viewtopic.php?t=N}, often with {@code f}, {@code sid}
     * and {@code start}. Times carry an ISO {@code datetime} with offset. The topic page shows no view count, so it
     * is read from the thread's row on the list page (dd.views) and counts posts, not replies, in its pagination ("6 个帖子").
     */
    public static SiteProfile phpbb() {
        return new SiteProfile("phpBB 3",
                "ul.topiclist li.row a.topictitle",
                "viewtopic\\.php\\?(?:.*&)?t=(\\d+)",
                "viewtopic.php?t={id}",
                "h2.topic-title",
                "div.postbody div.content",
                "blockquote",
                "div.postbody p.author .username, div.postbody p.author .username-coloured",
                "div.postbody p.author time",
                "uuuu-MM-dd'T'HH:mm:ssXXX",
                null,
                "div.action-bar.bar-top div.pagination",
                true,
                DEFAULT_ZONE,
                "ul.topiclist li.row",
                "dd.views");
    }

    private static String require(String value, String component) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(component + " is required");
        }
        return value;
    }

    private static void selector(String css, String component) {
        if (css == null) {
            return;
        }
        try {
            Selector.evaluatorOf(css);
        } catch (Selector.SelectorParseException e) {
            throw new IllegalArgumentException(component + " is not a CSS selector: " + e.getMessage(), e);
        }
    }
}
