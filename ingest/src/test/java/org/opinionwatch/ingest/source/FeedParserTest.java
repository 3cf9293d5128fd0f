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
        assertEquals(5, posts.size(), "every item is read, its date or id missing or not");

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
    void anItemWhoseDateCannotBeReadIsPublishedAtItsObservationTimeMarked() throws Exception {
        FeedParser.Result feed = daily.parse(Pages.text("rss.xml"), RSS_URL, OBSERVED);
        assertEquals(List.of(), feed.rejected());
        Post undated = feed.posts().get(3);
        assertEquals("jiangcheng-daily:88400", undated.id());
        assertEquals("这一条没有日期格式", undated.title());
        assertEquals(OBSERVED, undated.publishedAt());
        assertTrue(undated.publishedAtUnknown());
        assertFalse(feed.posts().get(0).publishedAtUnknown());
        assertEquals(RSS_URL + "#item-4 (jiangcheng-daily:88400): '昨天下午' in <pubDate> is no time that can be read; "
                + "published at its observation time", feed.notes().get(0));
        assertTrue(feed.notes().get(1).matches(java.util.regex.Pattern.quote(RSS_URL) + "#item-5 \\(jiangcheng-daily:item-[0-9a-f]{16}\\): "
                + "no date; published at its observation time"), feed.notes().get(1));
        assertTrue(feed.posts().get(4).publishedAtUnknown());
    }

    @Test
    void anItemWithNeitherGuidNorLinkGetsAnIdFromItsContentThatStaysTheSameOnTheNextPoll() throws Exception {
        Post first = daily.parse(Pages.text("rss.xml"), RSS_URL, OBSERVED).posts().get(4);
        Post again = daily.parse(Pages.text("rss.xml"), RSS_URL, OBSERVED.plusSeconds(600)).posts().get(4);
        assertTrue(first.id().matches("jiangcheng-daily:item-[0-9a-f]{16}"), first.id());
        assertEquals(first.id(), again.id());
        assertEquals("既没有标题也没有链接和 guid 的条目。", first.text());
        assertEquals(null, first.url());
    }

    @Test
    void anEmptyItemIsRejectedOnItsOwn() throws Exception {
        String xml = "<rss version=\"2.0\"><channel><item></item><item><title>Kept</title></item></channel></rss>";
        FeedParser.Result feed = daily.parse(xml, RSS_URL, OBSERVED);
        assertEquals(1, feed.posts().size());
        DeadLetter empty = feed.rejected().get(0);
        assertEquals(RSS_URL + "#item-1", empty.location());
        assertEquals("item is empty: no id, link, title, text or date", empty.reason());
        assertEquals(OBSERVED, empty.rejectedAt());
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
        assertTrue(html.getMessage().startsWith("not an RSS or Atom feed: the document element is <html>"), html.getMessage());
        UnreadablePageException empty = assertThrows(UnreadablePageException.class, () -> daily.parse("", RSS_URL, OBSERVED));
        assertEquals("not an RSS or Atom feed: the document element is missing", empty.getMessage());
    }

    @Test
    void rss10AndRss090FeedsAreRead() throws Exception {
        String rss10 = """
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                         xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <channel rdf:about="https://www.jiangcheng-daily.cn/edu/"><title>教育</title><link>https://www.jiangcheng-daily.cn/edu/</link>
                    <description>教育</description></channel>
                  <item rdf:about="https://www.jiangcheng-daily.cn/edu/88231.htm">
                    <title>青溪中学回应食堂问题</title><link>https://www.jiangcheng-daily.cn/edu/88231.htm</link>
                    <description>学校已停业整顿一个窗口。</description>
                    <dc:date>2024-05-21T09:12:00+08:00</dc:date><dc:creator>陈晓</dc:creator>
                  </item>
                </rdf:RDF>""";
        Post post = daily.parse(rss10, RSS_URL, OBSERVED).posts().get(0);
        assertEquals("https://www.jiangcheng-daily.cn/edu/88231.htm", post.id());
        assertEquals("青溪中学回应食堂问题", post.title());
        assertEquals("学校已停业整顿一个窗口。", post.text());
        assertEquals("陈晓", post.author());
        assertEquals(Instant.parse("2024-05-21T01:12:00Z"), post.publishedAt());

        String rss090 = """
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
                  <channel><title>Old</title><link>http://example.com/</link><description>d</description></channel>
                  <item><title>Item title</title><link>http://example.com/1</link></item>
                </rdf:RDF>""";
        Post old = daily.parse(rss090, RSS_URL, OBSERVED).posts().get(0);
        assertEquals("Item title", old.title());
        assertEquals("http://example.com/1", old.url());
        assertTrue(old.publishedAtUnknown(), "RSS 0.90 items carry no date");
    }

    @Test
    void rssInANamespaceIsRead() throws Exception {
        String xml = """
                <r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2">
                  <r:channel><r:title>t</r:title><r:link>http://example.com/</r:link><r:description>d</r:description>
                    <r:item><r:title>Prefixed item</r:title><r:link>http://example.com/1</r:link></r:item></r:channel>
                </r:rss>""";
        assertEquals("Prefixed item", daily.parse(xml, RSS_URL, OBSERVED).posts().get(0).title());
    }

    @Test
    void escapedMarkupAndScriptsInTitlesBecomePlainText() throws Exception {
        String rss = "<rss version=\"2.0\"><channel><item><link>http://example.com/1</link>"
                + "<title>食堂&lt;b&gt;出事&lt;/b&gt;了&lt;script&gt;alert(1)&lt;/script&gt;</title></item>"
                + "<item><link>http://example.com/2</link><title><![CDATA[<img src=x onerror=alert(1)>回应]]></title></item></channel></rss>";
        List<Post> posts = daily.parse(rss, RSS_URL, OBSERVED).posts();
        assertEquals("食堂出事了", posts.get(0).title());
        assertEquals("回应", posts.get(1).title());
        String atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>a</id><title type=\"html\">Example &lt;b&gt;Atom&lt;/b&gt;</title></entry>"
                + "<entry><id>b</id><title type=\"text\">History of the &lt;blink&gt; tag</title></entry></feed>";
        List<Post> entries = daily.parse(atom, ATOM_URL, OBSERVED).posts();
        assertEquals("Example Atom", entries.get(0).title());
        assertEquals("History of the <blink> tag", entries.get(1).title(), "text is text, not markup");
    }

    @Test
    void relativeLinksAreResolvedAgainstXmlBaseAndTheFeedUrl() throws Exception {
        String atom = """
                <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.nanhu-college.edu.cn/news/">
                  <entry xml:base="2024/"><id>a</id><title>a</title><link href="05/22/hot-water.html"/></entry>
                  <entry><id>b</id><title>b</title><link href="/about.html"/></entry>
                </feed>""";
        List<Post> posts = daily.parse(atom, ATOM_URL, OBSERVED).posts();
        assertEquals("https://news.nanhu-college.edu.cn/news/2024/05/22/hot-water.html", posts.get(0).url());
        assertEquals("https://news.nanhu-college.edu.cn/about.html", posts.get(1).url());
        String rss = "<rss version=\"2.0\"><channel><item><title>t</title><link>content_88231.htm</link></item></channel></rss>";
        assertEquals("https://www.jiangcheng-daily.cn/rss/content_88231.htm", daily.parse(rss, RSS_URL, OBSERVED).posts().get(0).url());
    }

    @Test
    void aPermalinkGuidIsTheLinkOfAnItemWithout() throws Exception {
        String rss = "<rss version=\"2.0\"><channel><item><title>t</title><guid>https://www.jiangcheng-daily.cn/edu/1.htm</guid></item>"
                + "<item><title>u</title><guid isPermaLink=\"false\">77</guid></item></channel></rss>";
        List<Post> posts = daily.parse(rss, RSS_URL, OBSERVED).posts();
        assertEquals("https://www.jiangcheng-daily.cn/edu/1.htm", posts.get(0).url());
        assertEquals("https://www.jiangcheng-daily.cn/edu/1.htm", posts.get(0).id());
        assertEquals(null, posts.get(1).url(), "a guid that is not a permalink is no link");
        assertEquals("jiangcheng-daily:77", posts.get(1).id());
    }

    @Test
    void dublinCoreTermsAndAtom03DatesAreRead() throws Exception {
        String rss = "<rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel>"
                + "<item><title>issued</title><dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued></item>"
                + "<item><title>modified</title><dcterms:modified>2003-12-31T10:14:55Z</dcterms:modified></item>"
                + "<item><title>two-digit year</title><pubDate>Thu, 01 Jan 04 19:48:21 GMT</pubDate></item></channel></rss>";
        List<Post> posts = daily.parse(rss, RSS_URL, OBSERVED).posts();
        assertEquals(Instant.parse("2003-12-31T10:14:55Z"), posts.get(0).publishedAt());
        assertEquals(Instant.parse("2003-12-31T10:14:55Z"), posts.get(1).publishedAt());
        assertEquals(Instant.parse("2004-01-01T19:48:21Z"), posts.get(2).publishedAt(), "04 is 2004, not the year 4");
        String atom03 = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
                + "<entry><title>i</title><id>i</id><issued>2004-01-01T19:48:21Z</issued><modified>2004-02-01T00:00:00Z</modified></entry>"
                + "<entry><title>m</title><id>m</id><modified>Thu, 01 Jan 2004 19:48:21 GMT</modified></entry></feed>";
        List<Post> entries = daily.parse(atom03, ATOM_URL, OBSERVED).posts();
        assertEquals(Instant.parse("2004-01-01T19:48:21Z"), entries.get(0).publishedAt());
        assertEquals(Instant.parse("2004-01-01T19:48:21Z"), entries.get(1).publishedAt());
        assertEquals("i", entries.get(0).title());
    }

    @Test
    void atom03Base64TitlesAndDublinCoreTitlesAreRead() throws Exception {
        String atom03 = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><id>a</id>"
                + "<title mode=\"base64\" type=\"text/html\">\n  6aOf5aCCPGI+5Ye65LqLPC9iPuS6hg==\n</title></entry></feed>";
        assertEquals("食堂出事了", daily.parse(atom03, ATOM_URL, OBSERVED).posts().get(0).title());
        String rss = "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item><link>http://example.com/1</link>"
                + "<dc:title>Example title</dc:title></item></channel></rss>";
        assertEquals("Example title", daily.parse(rss, RSS_URL, OBSERVED).posts().get(0).title());
    }

    @Test
    void plainTextConstructsAreReadAsWrittenAndAnAtomFeedWithoutItsNamespaceIsStillAtom() throws Exception {
        String atom03 = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><id>a</id>"
                + "<title type=\"text/plain\">History of the &lt;blink&gt; tag</title></entry></feed>";
        assertEquals("History of the <blink> tag", daily.parse(atom03, ATOM_URL, OBSERVED).posts().get(0).title());
        String naked = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><id>a</id><title>Example <b>Atom</b></title></entry></feed>";
        assertEquals("Example Atom", daily.parse(naked, ATOM_URL, OBSERVED).posts().get(0).title(), "undeclared inline markup keeps its text");
        String bare = "<feed><entry><id bogus=\"wrong\">right</id><title>t</title></entry></feed>";
        assertEquals("right", daily.parse(bare, ATOM_URL, OBSERVED).posts().get(0).id());
        String rss = "<rss version=\"2.0\"><channel><item><link>http://example.com/1</link><description>don&amp;#146;t &#147;go&#148;</description>"
                + "</item></channel></rss>";
        assertEquals("don’t “go”", daily.parse(rss, RSS_URL, OBSERVED).posts().get(0).text(), "C1 controls are windows-1252's, as browsers read them");
    }

    @Test
    void aFeedThatIsNotWellFormedIsStillRead() throws Exception {
        String rss = "<rss version=\"2.0\"><channel><item><title>Tom & Jerry &nbsp;食堂</title><link>http://example.com/1?a=1&b=2</link>"
                + "<pubDate>Mon, 20 May 2024 21:03:00 EST</pubDate></item></channel></rss>";
        Post post = daily.parse(rss, RSS_URL, OBSERVED).posts().get(0);
        assertEquals("Tom & Jerry 食堂", post.title());
        assertEquals("http://example.com/1?a=1&b=2", post.url());
        assertEquals(Instant.parse("2024-05-21T02:03:00Z"), post.publishedAt());
    }

    @Test
    void aUtf16FeedWithoutAByteOrderMarkIsRead() throws Exception {
        String xml = Pages.text("rss.xml").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        PageDecoder.Decoded decoded = PageDecoder.decode(xml.getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "application/rss+xml");
        assertEquals("青溪中学回应“食堂饭菜有虫”：已停业整顿二食堂一个窗口", daily.parse(decoded.text(), RSS_URL, OBSERVED).posts().get(0).title());
    }
}
