package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topics;

/** {@code opinion-watch try-source}: one source read once, without a broker, printed as posts.raw and posts.dlq would have it. */
class TrySourceCommandTest {
    /** The push endpoint's reader: what try-source prints must pass it, field by field. */
    private static final JsonSerde<Post> STRICT = new JsonSerde<>(Post.class, Post.SCHEMA, Json.STRICT);

    @TempDir
    Path dir;

    @Test
    void aSavedFeedIsPrintedAsPostsRawWouldHaveItWithTheDecodingAndTheUnreadableTimesOnStandardError() throws Exception {
        Path feed = Files.write(dir.resolve("edu.xml"), ("<?xml version=\"1.0\" encoding=\"GBK\"?>\n"
                + "<rss version=\"2.0\"><channel><title>江城日报</title>"
                + "<item><title>青溪中学回应&lt;b&gt;食堂&lt;/b&gt;问题</title><link>content_88231.htm</link>"
                + "<pubDate>Tue, 21 May 2024 09:12:00 CST</pubDate></item>"
                + "<item><title>暑假安排</title><link>content_88190.htm</link><pubDate>下周一</pubDate></item>"
                + "</channel></rss>").getBytes(Charset.forName("GBK")));

        CommandRun run = CommandRun.of("try-source", "--type", "feed", "--file", feed.toString(),
                "--base-url", "https://www.jiangcheng-daily.cn/rss/edu.xml", "--id", "jiangcheng-daily");

        assertEquals(0, run.exit(), run.err());
        List<Post> posts = run.out().lines().map(STRICT::parse).toList();
        assertEquals(2, posts.size(), run.out());
        Post first = posts.get(0);
        assertEquals("https://www.jiangcheng-daily.cn/rss/content_88231.htm", first.id());
        assertEquals("jiangcheng-daily", first.source());
        assertEquals("青溪中学回应食堂问题", first.title());
        assertEquals(Instant.parse("2024-05-21T01:12:00Z"), first.publishedAt(), "CST of a source in China is China Standard Time");
        assertFalse(first.publishedAtUnknown());
        assertTrue(posts.get(1).publishedAtUnknown());
        assertTrue(run.out().lines().allMatch(line -> line.startsWith("{\"schema\":\"post/1\"")), run.out());

        List<JsonNode> err = json(run.err());
        assertEquals("https://www.jiangcheng-daily.cn/rss/edu.xml", err.get(0).get("fetched").asText());
        assertEquals("GB18030 (<?xml encoding>)", err.get(0).get("decoded").asText());
        assertEquals("https://www.jiangcheng-daily.cn/rss/edu.xml#item-2 (https://www.jiangcheng-daily.cn/rss/content_88190.htm): "
                + "'下周一' in <pubDate> is no time that can be read; published at its observation time", err.get(1).get("note").asText());
        assertEquals(2, err.size(), run.err());
    }

    @Test
    void aPageThatIsNoFeedIsRejectedWithItsReasonAndTheExitSaysSo() throws Exception {
        Path page = Files.writeString(dir.resolve("index.html"), "<html><body><p>Welcome</p></body></html>");

        CommandRun run = CommandRun.of("try-source", "--type", "feed", "--file", page.toString(), "--base-url", "https://www.example.cn/");

        assertEquals(1, run.exit(), run.err());
        assertEquals("", run.out());
        String deadLetter = run.err().lines().filter(l -> l.startsWith("{\"schema\":\"dead-letter/1\"")).findFirst().orElseThrow();
        DeadLetter rejected = Topics.DEAD_LETTER.parse(deadLetter);
        assertEquals("try-source", rejected.source());
        assertEquals("https://www.example.cn/", rejected.location());
        assertTrue(rejected.reason().startsWith("not an RSS or Atom feed: the document element is <html>"), rejected.reason());
    }

    @Test
    void aThreadIsFetchedPolitelyAndItsOpeningPostAndRepliesArePrinted() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            byte[] body = exchange.getRequestURI().getPath().equals("/robots.txt")
                    ? "User-agent: *\nDisallow: /private/\n".getBytes(StandardCharsets.UTF_8)
                    : THREAD.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", exchange.getRequestURI().getPath().equals("/robots.txt")
                    ? "text/plain" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path config = Files.writeString(dir.resolve("ow.yaml"), "ingest:\n  http: { perHostInterval: PT0.01S }\n");

            CommandRun run = CommandRun.of("try-source", "--type", "forum-thread", "--engine", "phpbb",
                    "--url", base + "viewtopic.php?f=4&t=42&sid=5c1e", "--zone", "Europe/London", "--config", config.toString());

            assertEquals(0, run.exit(), run.err());
            assertEquals(List.of("/robots.txt", "/viewtopic.php?f=4&t=42&sid=5c1e"), requests, "robots.txt first, as live ingest");
            List<Post> posts = run.out().lines().map(STRICT::parse).toList();
            assertEquals(2, posts.size(), run.out());
            assertEquals(base + "viewtopic.php?t=42", posts.get(0).id());
            assertEquals("Canteen closed again", posts.get(0).title());
            assertEquals(Instant.parse("2011-04-26T22:57:00Z"), posts.get(0).publishedAt());
            assertEquals(1, posts.get(0).engagement().comments());
            assertEquals(base + "viewtopic.php?t=42#p4412", posts.get(1).id());
            assertEquals(base + "viewtopic.php?t=42", posts.get(1).repostOf());
            assertEquals("It reopens on Monday.", posts.get(1).text());
            assertEquals("UTF-8 (Content-Type header)", json(run.err()).get(0).get("decoded").asText());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSavedListPageListsItsThreadsWithoutFetchingThem() throws Exception {
        Path list = Files.writeString(dir.resolve("viewforum.html"), """
                <html><body><ul class="topiclist topics">
                <li class="row"><dl><dt><a href="./viewtopic.php?f=4&amp;t=42&amp;sid=5c1e" class="topictitle">Canteen</a></dt>
                <dd class="posts">3</dd><dd class="views">612 <dfn>Views</dfn></dd></dl></li>
                </ul></body></html>""");

        CommandRun run = CommandRun.of("try-source", "--type", "forum-list", "--engine", "phpbb", "--file", list.toString(),
                "--base-url", "https://forum.example.edu/phpBB3/viewforum.php?f=4");

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out());
        JsonNode listed = json(run.err()).get(1);
        assertEquals("https://forum.example.edu/phpBB3/viewtopic.php?t=42", listed.get("listed").asText());
        assertEquals(612, listed.get("views").asLong());
    }

    @Test
    void aForumWithoutItsEngineOrASavedThreadWithoutItsUrlIsAUsageError() throws Exception {
        Path page = Files.writeString(dir.resolve("thread.html"), THREAD);
        assertTrue(CommandRun.of("try-source", "--type", "forum-thread", "--file", page.toString(), "--base-url", "https://f.example/viewtopic.php?t=1")
                .errAfter(2).contains("--engine must be discuz or phpbb for --type forum-thread"));
        assertTrue(CommandRun.of("try-source", "--type", "forum-thread", "--engine", "phpbb", "--file", page.toString())
                .errAfter(2).contains("--base-url is required with --file for --type forum-thread"));
        assertTrue(CommandRun.of("try-source", "--type", "blog", "--file", page.toString()).errAfter(2)
                .contains("--type must be feed, forum-list or forum-thread, not 'blog'"));
    }

    private static List<JsonNode> json(String lines) {
        return lines.lines().map(line -> {
            try {
                return Json.TOLERANT.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }).toList();
    }

    private static final String THREAD = """
            <html><head><title>Eastfield Forum &bull; View topic - Canteen closed again</title></head><body>
            <div id="page-body"><h2><a href="./viewtopic.php?f=4&amp;t=42">Canteen closed again</a></h2>
            <div class="topic-actions"><div class="pagination">2 posts &bull; Page <strong>1</strong> of <strong>1</strong></div></div>
            <div id="p4410" class="post bg2"><div class="inner"><div class="postbody">
              <p class="author">by <strong><a href="./memberlist.php?u=212">maya_k</a></strong> &raquo; Tue Apr 26, 2011 11:57 pm </p>
              <div class="content">Third time this month.</div></div></div></div>
            <div id="p4412" class="post bg1"><div class="inner"><div class="postbody">
              <p class="author">by <strong><a href="./memberlist.php?u=57">head_of_year</a></strong> &raquo; Wed Apr 27, 2011 9:05 am </p>
              <div class="content">It reopens on Monday.</div></div></div></div>
            </div></body></html>""";
}
