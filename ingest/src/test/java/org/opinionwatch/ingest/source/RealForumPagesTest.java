package org.opinionwatch.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Post;

/**
 * The phpBB profile on the saved pages of a real board, which are not in this repository (their repository has no
 * licence): the mirror of the DILDANO forum, a phpBB 3.0 board in a subsilver2-derived style, English, in
 * github.com/orta/dildano.co.uk at commit 339511e8ffb081e6bc83c46824c40e5561128e22, folder public/phpBB3. Run with
 * OW_REAL_PAGES set to a folder that holds that one ({@code git archive 339511e public/phpBB3 | tar -x -C DIR}); without
 * it the test is skipped. The fixtures phpbb-subsilver2-*.html reproduce those pages' markup with text of our own.
 */
class RealForumPagesTest {
    private static final Instant OBSERVED = Instant.parse("2024-05-21T02:00:00Z");

    /** The mirror renamed every link to a file ("viewtopic-12523.php"): the profile is phpBB's with those links as thread URLs. */
    private static SiteProfile mirrored() {
        SiteProfile p = SiteProfile.phpbb().withZone(ZoneId.of("Europe/London"));
        return new SiteProfile(p.name(), p.threadLinks(), "viewtopic-(\\d+)\\.php", "viewtopic-{id}.php", p.title(), p.body(),
                p.bodyExclude(), p.author(), p.published(), p.publishedPattern(), p.views(), p.replies(), p.repliesCountOpener(),
                p.zone(), p.listRow(), p.listViews(), p.post());
    }

    private final ForumParser parser = new ForumParser("dildano", mirrored());

    private static Path board() {
        String dir = System.getenv("OW_REAL_PAGES");
        Assumptions.assumeTrue(dir != null, "OW_REAL_PAGES names no folder of saved pages");
        Path board = Path.of(dir, "public", "phpBB3");
        Assumptions.assumeTrue(Files.isDirectory(board), board + " is missing");
        return board;
    }

    @Test
    void everyListPageGivesItsTopicsWithTheirViews() throws Exception {
        List<Path> lists = pages(board(), "viewforum-");
        assertFalse(lists.isEmpty());
        int topics = 0;
        for (Path list : lists) {
            List<ForumParser.ListedThread> threads = parser.threads(Files.readString(list), "http://dildano.co.uk/phpBB3/" + list.getFileName());
            assertTrue(threads.stream().allMatch(t -> t.views() != null && t.views() >= 0), list.toString());
            topics += threads.size();
        }
        System.out.printf("real phpBB list pages: %d pages, %d topics, every row with its views%n", lists.size(), topics);
    }

    @Test
    void everyThreadPageGivesItsPostsWithAuthorsAndTimesNeverTheFetchTime() throws Exception {
        int threads = 0;
        int replies = 0;
        List<String> failures = new ArrayList<>();
        for (Path page : pages(board(), "viewtopic-")) {
            String html = Files.readString(page);
            if (!html.contains("class=\"postauthor\"")) {
                continue; // a print view or a "topic does not exist" page
            }
            String url = "http://dildano.co.uk/phpBB3/" + page.getFileName();
            try {
                ForumParser.ThreadPage thread = parser.thread(html, url, OBSERVED, 0L);
                List<Post> posts = new ArrayList<>(thread.replies());
                posts.add(0, thread.opening());
                assertFalse(thread.opening().title().isEmpty(), url);
                assertEquals(html.split("class=\"postauthor\"", -1).length - 1, posts.size(), url);
                for (Post post : posts) {
                    assertFalse(post.author().isEmpty(), post.id());
                    assertFalse(post.publishedAtUnknown(), post.id() + ": " + thread.notes());
                    assertTrue(post.publishedAt().isBefore(Instant.parse("2011-01-01T00:00:00Z")), post.id() + " " + post.publishedAt());
                }
                assertEquals(List.of(), thread.notes());
                threads++;
                replies += thread.replies().size();
            } catch (UnreadablePageException | AssertionError e) {
                failures.add(page.getFileName() + ": " + e.getMessage());
            }
        }
        System.out.printf("real phpBB thread pages: %d read, %d replies, %d failed%n", threads, replies, failures.size());
        assertEquals(List.of(), failures);
        assertTrue(threads > 400, "the mirror has 465 thread pages: " + threads);
    }

    @Test
    void oneThreadPageReadAsAPersonReadsIt() throws Exception {
        Path page = board().resolve("viewtopic-12523.php");
        Assumptions.assumeTrue(Files.exists(page));
        ForumParser.ThreadPage thread = parser.thread(Files.readString(page), "http://dildano.co.uk/phpBB3/viewtopic-12523.php", OBSERVED, 0L);
        assertEquals("(anyone for) image tennis?", thread.opening().title());
        assertEquals("grilgamesh", thread.opening().author());
        assertEquals(Instant.parse("2009-11-06T17:37:00Z"), thread.opening().publishedAt()); // "Fri Nov 06, 2009 5:37 pm", GMT
        assertEquals(34, thread.opening().engagement().comments()); // "[ 35 posts ]"
        assertEquals("bearblock", thread.replies().get(0).author());
        assertTrue(thread.replies().get(0).text().endsWith("(any youse guys played the new one? it good?)"), thread.replies().get(0).text());
    }

    private static List<Path> pages(Path board, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(board)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
