package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

class FeedParserTest {
    private static final Instant OBSERVED = Instant.parse("2024-05-22T02:00:00Z");
    private static final String RSS_URL = "https://www.jiangcheng-daily.cn/rss/edu.xml";
    private static final String ATOM_URL = "https://news.nanhu-college.edu.cn/atom.xml";

    private final FeedParser daily = new FeedParser("jiangcheng-daily", true, ZoneId.of("Asia/Shanghai"));

    @Test
    void rssItemsBecomePostsOfAMainstreamSource() throws Exception {
        FeedParser.Result feed = daily.parse(Pages.text("rss.xml"), RSS_URL, OBSERVED);
        List<Post> posts = feed.posts();
        assertEquals(3, posts.size());

        Post first = posts.get(0);
        assertEquals("jiangcheng-daily:88231", first.id()); // a guid that is no permalink is only unique in its feed
        assertEquals("jiangcheng-daily", first.source());
        assertEquals("https://www.jiangcheng-daily.cn/edu/2024-05/21/content_88231.htm", first.url());
        assertEquals("青溪中学回应“食堂饭菜有虫”：已停业整顿二食堂一个窗口", first.title());
        assertEquals("本报记者 陈晓", first.author());
        // content:encoded, the whole article, wins over the description; its script and image are gone
        assertEquals("近日，有网友在青溪中学论坛发帖称在食堂饭菜中吃出虫子。\n记者从学校获悉，涉事窗口已停业整顿，学校已联系市场监管部门进行检查。",
                first.text());
        assertEquals(Instant.parse("2024-05-21T01:12:00Z"), first.publishedAt());
        assertEquals(OBSERVED, first.observedAt());
        assertEquals(Engagement.ZERO, first.engagement());
        assertTrue(first.mainstream());

        Post second = posts.get(1);
        assertEquals("https://www.jiangcheng-daily.cn/edu/2024-05/20/content_88190.htm", second.id());
        assertEquals("全市中小学 暑假 从7月6日开始，9月1日开学。", second.text()); // escaped HTML in the description
        assertEquals("edu@jiangcheng-daily.cn (江城日报教育部)", second.author());
        assertEquals(Instant.parse("2024-05-20T17:45:00Z"), second.publishedAt());

        Post third = posts.get(2);
        assertEquals("https://www.jiangcheng-daily.cn/edu/2024-05/22/content_88302.htm", third.id()); // no guid: the link
        assertEquals(Instant.parse("2024-05-22T00:30:00Z"), third.publishedAt()); // a local time, in Beijing
    }

    @Test
    void unusableRssItemsAreRejectedOneByOneWithTheirReason() throws Exception {
        List<DeadLetter> rejected = daily.parse(Pages.text("rss.xml"), RSS_URL, OBSERVED).rejected();
        assertEquals(2, rejected.size());
        DeadLetter badDate = rejected.get(0);
        assertEquals("jiangcheng-daily", badDate.source());
        assertEquals(RSS_URL + "#item-4", badDate.location());
        assertEquals("<pubDate> '昨天下午' is not an RFC 822, RFC 3339 or 'yyyy-MM-dd HH:mm:ss' date", badDate.reason());
        assertTrue(badDate.input().contains("<guid isPermaLink=\"false\">88400</guid>"), badDate.input());
        assertEquals(OBSERVED, badDate.rejectedAt());
        assertEquals(RSS_URL + "#item-5", rejected.get(1).location());
        assertEquals("RSS item has neither <guid> nor <link>, so it has no id", rejected.get(1).reason());
    }

    @Test
    void atomEntriesBecomePosts() throws Exception {
        FeedParser college = new FeedParser("nanhu-news", false, ZoneId.of("Asia/Shanghai"));
        FeedParser.Result feed = college.parse(Pages.text("atom.xml"), ATOM_URL, OBSERVED);
        assertEquals(List.of(), feed.rejected());
        assertEquals(2, feed.posts().size());

        Post notice = feed.posts().get(0);
        assertEquals("tag:news.nanhu-college.edu.cn,2024-05-22:/311", notice.id());
        assertEquals("https://news.nanhu-college.edu.cn/2024/05/22/hot-water.html", notice.url()); // relative, resolved
        assertEquals("关于7号宿舍楼热水维修情况的说明", notice.title()); // type="html"
        assertEquals("5月18日起，7号宿舍楼热水管道发生破裂，已于5月22日修复。\n给同学们带来的不便，我们深表歉意。", notice.text()); // xhtml content
        assertEquals("后勤管理处", notice.author());
        assertEquals(Instant.parse("2024-05-22T01:00:00Z"), notice.publishedAt());
        assertFalse(notice.mainstream());

        Post wifi = feed.posts().get(1);
        assertEquals("Campus Wi-Fi maintenance & upgrade", wifi.title());
        assertEquals("Night-time drops after 23:00 are caused by   the\nscheduled controller reboot; it moves to 04:00 from June.",
                wifi.text()); // type="text" is not parsed as markup
        assertEquals("", wifi.author());
        assertEquals(Instant.parse("2024-05-18T16:00:00Z"), wifi.publishedAt()); // no <published>: <updated>
    }

    @Test
    void aGbkFeedIsReadThroughItsXmlDeclaration() throws Exception {
        String xml = Pages.text("rss.xml").replace("encoding=\"UTF-8\"", "encoding=\"gb2312\"");
        PageDecoder.Decoded decoded = PageDecoder.decode(xml.getBytes(Charset.forName("GB18030")), "application/rss+xml");
        assertEquals("GB18030 (<?xml encoding>)", decoded.basis());
        assertEquals("青溪中学回应“食堂饭菜有虫”：已停业整顿二食堂一个窗口",
                daily.parse(decoded.text(), RSS_URL, OBSERVED).posts().get(0).title());
    }

    @Test
    void aDocumentThatIsNoFeedIsRejected() {
        UnreadablePageException html = assertThrows(UnreadablePageException.class,
                () -> daily.parse(Pages.text("phpbb-thread.html"), RSS_URL, OBSERVED));
        assertEquals("not an RSS 2.0 or Atom feed: the document element is <html>", html.getMessage());
        UnreadablePageException empty = assertThrows(UnreadablePageException.class, () -> daily.parse("", RSS_URL, OBSERVED));
        assertEquals("not an RSS 2.0 or Atom feed: the document element is missing", empty.getMessage());
    }
}
