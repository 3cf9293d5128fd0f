package org.opinionwatch.launcher.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.ingest.archive.Archives;
import org.opinionwatch.ingest.publish.PostBounds;

class SelectionTest {
    private static final PostBounds BOUNDS = PostBounds.archive(ConfigLoader.load(null, Map.of()).ingest().limits());

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    @TempDir
    Path dir;

    private static Post post(String id, String repostOf, int minutes) {
        return new Post(id, "bbs", null, "标题", "正文", "someone", T0, T0.plus(Duration.ofMinutes(minutes)),
                new Engagement(minutes, 1, 0, 0), false, repostOf);
    }

    private static IncidentState state(String id, String... joined) {
        return new IncidentState(id, "all", Level.GENERAL, WindowMetrics.ZERO, T0, T0, new PostRef(id, null, ""), 1,
                java.util.Arrays.stream(joined).map(j -> new PostRef(j, null, "")).toList());
    }

    private static SeverityChange joined(String id, String into) {
        return new SeverityChange(id, "all", Level.MINOR, Level.NONE, List.of("joined incident " + into), WindowMetrics.ZERO,
                Duration.ofHours(24), T0, T0, null, List.of(), List.of(), List.of());
    }

    @Test
    void anIncidentIsItsPostsItsRepostsAndTheStoriesThatJoinedIt() {
        // s1 joined t/1 (in its joinedStories), s2 joined t/1 while open (a change says so), s3 joined s2.
        Selection s = Selection.incident("t/1", List.of(state("t/1", "s1"), state("other")),
                List.of(joined("s2", "t/1"), joined("s3", "s2"), joined("x", "other")));

        assertEquals(Set.of("t/1", "s1", "s2", "s3"), s.roots());
        assertEquals("incident t/1 and the 3 stories that joined it", s.what());
        assertTrue(s.test(post("t/1", null, 0)));
        assertTrue(s.test(post("r/9", "t/1", 5)), "a repost");
        assertTrue(s.test(post("r/8", "s3", 5)), "a repost of a story that joined");
        assertFalse(s.test(post("other", null, 0)));
        assertFalse(s.test(post("x", null, 0)));
        assertEquals("incident t/2", Selection.incident("t/2", List.of(), List.of()).what());
    }

    @Test
    void aRangeIsFromInclusiveToExclusiveInEventTime() {
        Selection s = Selection.range(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20)));
        assertFalse(s.test(post("a", null, 9)));
        assertTrue(s.test(post("a", null, 10)));
        assertTrue(s.test(post("b", "a", 19)));
        assertFalse(s.test(post("a", null, 20)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.range(T0, T0));
        assertEquals("--from 2024-05-01T08:00:00Z is not before --to 2024-05-01T08:00:00Z", e.getMessage());
    }

    @Test
    void theArchiveReadsBackAsJsonLinesCompressedWhenItsNameSaysGz() throws IOException {
        List<Post> posts = List.of(post("t/1", null, 0), post("t/1", null, 0), post("r/9", "t/1", 5));
        for (String name : List.of("case.jsonl", "case.jsonl.gz")) {
            Path file = dir.resolve(name);
            PostsExport.write(posts, file);
            assertEquals(posts, Archives.read(ArchiveFormat.JSONL, file, BOUNDS).posts(), name);
            assertEquals(List.of(), Archives.read(ArchiveFormat.JSONL, file, BOUNDS).rejected(), name);
            try (InputStream in = Files.newInputStream(file)) {
                assertEquals(name.endsWith(".gz"), in.read() == 0x1f && in.read() == 0x8b, name);
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("case.jsonl.gz")))) {
            assertTrue(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"schema\":\"post/1\",\"id\":\"t/1\""));
        }
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no partial files left behind");
        }
    }
}
