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
 * @param body               thread page, inside a post: the post's body (required for the opening post)
 * @param bodyExclude        inside the body, what is not the author's text (quotes, edit notes, anti-scraping
 *                           filler), or null
 * @param author             thread page, inside a post: the post's author, or null
 * @param published          thread page, inside a post: the post's time, or null. Its value is the element's
 *                           {@code datetime} attribute, else that of a {@code time} element inside it, else its
 *                           {@code title} attribute, else its text; the time is found anywhere in that value, in any
 *                           form {@link TimeText} reads (so a prefix like "发表于" needs no selector of its own)
 * @param publishedPattern   a {@link DateTimeFormatter} pattern tried on that value before the forms TimeText knows, or
 *                           null; with an offset in it, {@code zone} is not used
 * @param views              thread page: the view count, or null if the thread page does not show one
 * @param replies            thread page: the reply count, or null if the thread page does not show one
 * @param repliesCountOpener whether the reply count counts the opening post too (phpBB counts posts)
 * @param zone               the time zone in which the forum writes times without an offset
 * @param listRow            list page: one thread's row, around its link, or null
 * @param listViews          inside a list row, the thread's view count, or null: for engines whose thread page
 *                           shows none (phpBB), the list page is where views are counted
 * @param post               thread page: each post, the opening post first and then the replies on the page; body,
 *                           author and published are looked for inside each. Null: the page is one post (the first
 *                           match of body, author and published), and no replies are read
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
        String listViews,
        String post) {

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
        if (publishedPattern != null && published == null) {
            throw new IllegalArgumentException("publishedPattern needs a published selector");
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
        selector(post, "post");
    }

    /** The same profile for a forum that writes its times in another zone. */
    public SiteProfile withZone(ZoneId other) {
        return new SiteProfile(name, threadLinks, threadUrl, canonicalThread, title, body, bodyExclude, author, published,
                publishedPattern, views, replies, repliesCountOpener, other, listRow, listViews, post);
    }

    /**
     * Discuz! X3 (X3.2 to X3.5, default template), the most common engine of Chinese school and town forums.
     * Thread links: the title links of normal threads ({@code tbody id="normalthread_N"}); pinned threads are the
     * board's announcements. Thread URLs: {@code forum.php?mod=viewthread&tid=N} and, with URL rewriting,
     * {@code thread-N-PAGE-LISTPAGE.html}. Recent times are shown as "3 天前" with the exact time in a {@code span
     * title}; older ones as text after "发表于". The body drops quotes, the "本帖最后由 … 编辑" note, attachment
     * boxes and the anti-scraping filler Discuz hides in the text ({@code font.jammer}, hidden spans). Each post of a
     * thread page is a {@code div#post_N} in {@code #postlist}.
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
                null,
                "div.hm span.xg1:contains(查看) + span.xi1",
                "div.hm span.xg1:contains(回复) + span.xi1",
                false,
                DEFAULT_ZONE,
                null,
                null,
                "div#postlist > div[id~=^post_\\d+$]");
    }

    /**
     * phpBB 3.0 to 3.3, in its two standard styles and their derivatives: prosilver (posts are {@code div.post}, the
     * time a {@code <time datetime>} from 3.2 on and the text of {@code p.author} before: "by anna » Tue Apr 27, 2011
     * 11:57 pm") and subsilver2 (posts are {@code table.tablebg} rows, the time in the "Posted:" cell). Thread URLs:
     * {@code viewtopic.php?t=N}, often with {@code f}, {@code sid} and {@code start}. The topic page shows no view
     * count, so it is read from the thread's row on the list page, and counts posts, not replies ("6 个帖子", "[ 35
     * posts ]"), in the pagination of the action bar above the posts (3.0 {@code topic-actions}, 3.1 {@code action-bar
     * top}, 3.2 on {@code action-bar bar-top}). Times are in the board's zone for guests (the source's zone), in its
     * language and date format: English, German ("21.01.2009, 05:42") and Chinese boards are read.
     */
    public static SiteProfile phpbb() {
        return new SiteProfile("phpBB 3",
                "a.topictitle",
                "viewtopic\\.php\\?(?:.*&)?t=(\\d+)",
                "viewtopic.php?t={id}",
                "h2.topic-title, #page-body > h2, #pageheader h2",
                "div.content, div.postbody:not(:has(div.content))",
                "blockquote, div.quotetitle, div.quotecontent",
                "p.author .username, p.author .username-coloured, p.author strong, b.postauthor",
                "p.author, td.gensmall div[style*=right]",
                null,
                null,
                "div.action-bar.bar-top div.pagination, div.action-bar.top div.pagination, div.topic-actions div.pagination, "
                        + "#pagecontent td.gensmall:matchesOwn(\\[\\s*\\d)",
                true,
                DEFAULT_ZONE,
                "ul.topiclist li.row, tr:has(a.topictitle)",
                "dd.views, td:eq(4) > p.topicdetails",
                "div.post[id~=^p\\d+$], table.tablebg:has(b.postauthor)");
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
