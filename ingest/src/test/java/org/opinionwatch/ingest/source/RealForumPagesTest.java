package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Post;

/**
 * The forum profiles on whole boards saved in public repositories that carry no licence, so that their pages are not
 * in this repository (the licensed real pages are test resources, see {@code RealPageFixturesTest}). Run with
 * OW_REAL_PAGES set to a folder holding the boards, each in a subfolder of its own (docs/sources.md, "Real forum
 * pages", says how to fetch them); a board that is missing is skipped, and without OW_REAL_PAGES every test is.
 *
 * <ul>
 *   <li>{@code dildano/}: the mirror of the DILDANO forum, phpBB 3.0 in a subsilver2-derived style, English, from
 *   github.com/orta/dildano.co.uk at commit 339511e8ffb081e6bc83c46824c40e5561128e22, folder public/phpBB3;</li>
 *   <li>{@code dostips/}: the DosTips.com forum as HTTrack saved it on 19 October 2018, phpBB 3.2 in a
 *   prosilver-derived style, English, times in UTC-6, from github.com/314pi/dostips at commit
 *   1867cb4c04f340c6110b7cb6f9d9eb1e72576059, folder www.dostips.com/forum.</li>
 * </ul>
 */
class RealForumPagesTest {
    private static final Instant OBSERVED = Instant.parse("2024-05-21T02:00:00Z");
    /** HTTrack notes the URL it saved a page from. */
    private static final Pattern MIRRORED_FROM = Pattern.compile("Mirrored from (\\S+) by HTTrack");
    private static final DateTimeFormatter DOSTIPS_TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm", Locale.ENGLISH);

    /**
     * The phpBB profile with the thread URLs a mirror rewrote: dildano's "viewtopic-12523.php", HTTrack's
     * "viewtopic9f19.html?f=3&amp;t=8046" and "viewtopic9f19-2.html?..."; the canonical thread URL stays the board's own.
     */
    private static ForumParser mirrored(String source, ZoneId zone, String threadUrl, String canonicalThread) {
        SiteProfile p = SiteProfile.phpbb().withZone(zone);
        return new ForumParser(source, new SiteProfile(p.name(), p.threadLinks(), threadUrl, canonicalThread, p.title(),
                p.body(), p.bodyExclude(), p.author(), p.published(), p.publishedPattern(), p.views(), p.replies(),
                p.repliesCountOpener(), p.zone(), p.listRow(), p.listViews(), p.post()));
    }

    private final ForumParser dildano = mirrored("dildano", ZoneId.of("Europe/London"), "viewtopic-(\\d+)\\.php", "viewtopic-{id}.php");
    private final ForumParser dostips = mirrored("dostips", ZoneId.of("-06:00"),
            "viewtopic(?:[0-9a-f]{4}(?:-\\d+)?)?\\.(?:php|html)\\?(?:.*&)?t=(\\d+)", "viewtopic.php?t={id}");

    private static Path board(String name, String folder) {
        String dir = System.getenv("OW_REAL_PAGES");
        Assumptions.assumeTrue(dir != null, "OW_REAL_PAGES names no folder of saved pages");
        Path board = Path.of(dir, name).resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(board), board + " is missing");
        return board;
    }

    @Test
    void dildanoListPagesGiveTheirTopicsWithTheirViews() throws Exception {
        List<Path> lists = pages(board("dildano", "public/phpBB3"), "viewforum-");
        assertFalse(lists.isEmpty());
        int topics = 0;
        for (Path list : lists) {
            List<ForumParser.ListedThread> threads = dildano.threads(Files.readString(list), "http://dildano.co.uk/phpBB3/" + list.getFileName());
            assertTrue(threads.stream().allMatch(t -> t.views() != null && t.views() >= 0), list.toString());
            topics += threads.size();
        }
        System.out.printf("dildano list pages: %d pages, %d topics, every row with its views%n", lists.size(), topics);
    }

    @Test
    void dildanoThreadPagesGiveTheirPostsWithAuthorsAndTimesNeverTheFetchTime() throws Exception {
        int threads = 0;
        int replies = 0;
        List<String> failures = new ArrayList<>();
        for (Path page : pages(board("dildano", "public/phpBB3"), "viewtopic-")) {
            String html = Files.readString(page);
            if (!html.contains("class=\"postauthor\"")) {
                continue; // a print view or a "topic does not exist" page
            }
            String url = "http://dildano.co.uk/phpBB3/" + page.getFileName();
            try {
                ForumParser.ThreadPage thread = dildano.thread(html, url, OBSERVED, 0L);
                checkPosts(thread, html.split("class=\"postauthor\"", -1).length - 1, Instant.parse("2011-01-01T00:00:00Z"));
                threads++;
                replies += thread.replies().size();
            } catch (UnreadablePageException | AssertionError e) {
                failures.add(page.getFileName() + ": " + e.getMessage());
            }
        }
        System.out.printf("dildano thread pages: %d read, %d replies, %d failed%n", threads, replies, failures.size());
        assertEquals(List.of(), failures);
        assertTrue(threads > 400, "the mirror has 459 thread pages: " + threads);
    }

    @Test
    void dildanoThreadPageReadAsAPersonReadsIt() throws Exception {
        Path page = board("dildano", "public/phpBB3").resolve("viewtopic-12523.php");
        ForumParser.ThreadPage thread = dildano.thread(Files.readString(page), "http://dildano.co.uk/phpBB3/viewtopic-12523.php", OBSERVED, 0L);
        assertEquals("(anyone for) image tennis?", thread.opening().title());
        assertEquals("grilgamesh", thread.opening().author());
        assertEquals(Instant.parse("2009-11-06T17:37:00Z"), thread.opening().publishedAt()); // "Fri Nov 06, 2009 5:37 pm", GMT
        assertEquals(34, thread.opening().engagement().comments()); // "[ 35 posts ]"
        assertEquals("bearblock", thread.replies().get(0).author());
        assertTrue(thread.replies().get(0).text().endsWith("(any youse guys played the new one? it good?)"), thread.replies().get(0).text());
    }

    @Test
    void dostipsListPagesGiveEveryTopicRowWithItsViews() throws Exception {
        List<Path> lists = pages(board("dostips", "www.dostips.com/forum"), "viewforum");
        assertFalse(lists.isEmpty());
        int read = 0;
        int topics = 0;
        List<String> failures = new ArrayList<>();
        for (Path list : lists) {
            String html = Files.readString(list);
            if (!html.contains("class=\"topictitle\"")) {
                continue; // a category's page: its forums, no topics
            }
            read++;
            try {
                List<ForumParser.ListedThread> threads = dostips.threads(html, mirroredFrom(html));
                Document page = Jsoup.parse(html);
                assertEquals(page.select("li.row a.topictitle").size(), threads.size(), "one topic for each row");
                for (int i = 0; i < threads.size(); i++) {
                    Element row = page.select("li.row").get(i);
                    assertEquals(Long.valueOf(ForumParser.parseCount(row.selectFirst("dd.views").text())), threads.get(i).views());
                    assertTrue(threads.get(i).url().startsWith("http://www.dostips.com/forum/viewtopic.php?t="), threads.get(i).url());
                }
                topics += threads.size();
            } catch (UnreadablePageException | AssertionError e) {
                failures.add(list.getFileName() + ": " + e.getMessage());
            }
        }
        System.out.printf("dostips list pages: %d with topics, %d topics, %d failed%n", read, topics, failures.size());
        assertEquals(List.of(), failures);
    }

    @Test
    void dostipsThreadPagesGiveTheirPostsWithAuthorsAndTimesNeverTheFetchTime() throws Exception {
        int threads = 0;
        int replies = 0;
        int whole = 0;
        List<String> failures = new ArrayList<>();
        for (Path page : pages(board("dostips", "www.dostips.com/forum"), "viewtopic")) {
            String html = Files.readString(page);
            if (!html.contains("class=\"post has-profile")) {
                continue; // a print view or a "topic does not exist" page
            }
            try {
                Document doc = Jsoup.parse(html, mirroredFrom(html));
                String url = doc.selectFirst("link[rel=canonical]").absUrl("href");
                ForumParser.ThreadPage thread = dostips.thread(html, url, OBSERVED, 0L);
                int shown = doc.select("div.post[id~=^p\\d+$]").size(); // not the style's "Message | Author" header
                checkPosts(thread, shown, Instant.parse("2018-10-20T00:00:00Z"));
                checkAuthorLines(thread, doc);
                Matcher total = Pattern.compile("(\\d+) posts? • Page 1 of 1\\b").matcher(doc.selectFirst("div.pagination").text());
                if (total.find()) { // the whole topic is on the page: the reply count is its posts less the opening one
                    assertEquals(shown - 1, thread.opening().engagement().comments());
                    assertEquals(Integer.parseInt(total.group(1)), shown);
                    whole++;
                }
                threads++;
                replies += thread.replies().size();
            } catch (UnreadablePageException | AssertionError | RuntimeException e) {
                failures.add(page.getFileName() + ": " + e);
            }
        }
        System.out.printf("dostips thread pages: %d read (%d whole topics), %d replies, %d failed%n", threads, whole, replies,
                failures.size());
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " pages failed, the first 20 shown");
        assertTrue(threads > 7000, "the mirror has 7,229 topic pages with posts: " + threads);
    }

    @Test
    void dostipsThreadPageReadAsAPersonReadsIt() throws Exception {
        Path page = board("dostips", "www.dostips.com/forum").resolve("viewtopic0003.html");
        ForumParser.ThreadPage thread = dostips.thread(Files.readString(page), "http://www.dostips.com/forum/viewtopicdf52.html?t=8642",
                OBSERVED, 0L);
        assertEquals("http://www.dostips.com/forum/viewtopic.php?t=8642", thread.opening().id());
        assertEquals("vandentr", thread.opening().author());
        assertEquals(Instant.parse("2018-06-22T21:14:00Z"), thread.opening().publishedAt()); // "22 Jun 2018 15:14", UTC-6
        assertEquals(1, thread.opening().engagement().comments()); // "2 posts"
        Post reply = thread.replies().get(0);
        assertEquals("http://www.dostips.com/forum/viewtopic.php?t=8642#p57259", reply.id());
        assertEquals("Squashman", reply.author());
        assertEquals(Instant.parse("2018-06-22T21:47:00Z"), reply.publishedAt());
        assertTrue(reply.text().startsWith("Are you not already doing that with the CD command?"), reply.text()); // the quote is gone
    }

    /** Every post of the page read, each with an author and a time read from the page, before the board was saved. */
    private static void checkPosts(ForumParser.ThreadPage thread, int expected, Instant savedBefore) {
        List<Post> posts = new ArrayList<>(thread.replies());
        posts.add(0, thread.opening());
        assertFalse(thread.opening().title().isEmpty());
        assertEquals(expected, posts.size());
        for (Post post : posts) {
            assertFalse(post.author().isEmpty(), post.id());
            assertFalse(post.publishedAtUnknown(), post.id() + ": " + thread.notes());
            assertTrue(post.publishedAt().isBefore(savedBefore), post.id() + " " + post.publishedAt());
        }
        assertEquals(List.of(), thread.notes());
    }

    /**
     * Each post's author and time, written back as DosTips writes them ("d M Y H:i" in UTC-6), are its author line's
     * ("by vandentr » 22 Jun 2018 15:14"): what was read is what a person reads.
     */
    private static void checkAuthorLines(ForumParser.ThreadPage thread, Document doc) {
        List<Post> posts = new ArrayList<>(thread.replies());
        posts.add(0, thread.opening());
        List<Element> lines = doc.select("div.post[id~=^p\\d+$] p.author");
        for (int i = 0; i < posts.size(); i++) {
            String line = lines.get(i).text();
            String written = DOSTIPS_TIME.format(posts.get(i).publishedAt().atOffset(ZoneOffset.ofHours(-6)));
            assertTrue(line.endsWith("» " + written), posts.get(i).id() + ": " + line + " is not " + written);
            assertTrue(line.contains("by " + posts.get(i).author() + " »"), posts.get(i).id() + ": " + line);
        }
    }

    private static String mirroredFrom(String html) {
        Matcher from = MIRRORED_FROM.matcher(html);
        assertTrue(from.find(), "no HTTrack note of the page's URL");
        return "http://" + from.group(1);
    }

    private static List<Path> pages(Path board, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(board)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
