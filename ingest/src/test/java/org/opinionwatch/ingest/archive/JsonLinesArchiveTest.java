package org.opinionwatch.ingest.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.publish.PostBounds;

class JsonLinesArchiveTest {
    private static final PostBounds BOUNDS = PostBounds.archive(ConfigLoader.load(null, Map.of()).ingest().limits());

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    private static Post post(String id, Instant observedAt) {
        return new Post(id, "forum", "https://bbs.example.edu/t/" + id, "title " + id, "text", "someone",
                T0, observedAt, new Engagement(10, 2, 0, 1), false, null);
    }

    /** A post/1 line as an archive holds it, written out so that the test shows the format. */
    private static String line(Post post) {
        Engagement e = post.engagement();
        return String.format("{\"schema\":\"post/1\",\"id\":\"%s\",\"source\":\"%s\",\"url\":\"%s\",\"title\":\"%s\","
                        + "\"text\":\"%s\",\"author\":\"%s\",\"publishedAt\":\"%s\",\"observedAt\":\"%s\","
                        + "\"engagement\":{\"views\":%d,\"comments\":%d,\"reposts\":%d,\"likes\":%d},"
                        + "\"mainstream\":%s,\"repostOf\":null}",
                post.id(), post.source(), post.url(), post.title(), post.text(), post.author(), post.publishedAt(),
                post.observedAt(), e.views(), e.comments(), e.reposts(), e.likes(), post.mainstream());
    }

    private ArchiveContents read(String fileName, String content) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, content);
        return Archives.read(ArchiveFormat.JSONL, file, BOUNDS);
    }

    @Test
    void goodLinesComeThroughAndEveryBadLineIsADeadLetterWithItsReason() throws IOException {
        Post late = post("p-late", T0.plusSeconds(60));
        Post early = post("p-early", T0);
        String malformed = "{\"schema\":\"post/1\",\"id\":";
        String unknownField = line(post("p-x", T0)).replace("\"schema\":\"post/1\",", "\"schema\":\"post/1\",\"colour\":\"red\",");
        String wrongSchema = "{\"schema\":\"dead-letter/1\",\"source\":\"s\",\"location\":\"l\",\"reason\":\"r\",\"input\":\"i\"}";
        String noId = line(post("p-y", T0)).replace("\"id\":\"p-y\",", "");
        String noObservedAt = line(post("p-z", T0)).replaceAll("\"observedAt\":\"[^\"]+\",", "");
        String notAnObject = "[1,2,3]";
        String content = String.join("\n", line(late), "", "   ", malformed, unknownField, wrongSchema, noId,
                noObservedAt, notAnObject, line(early)) + "\n";

        ArchiveContents contents = read("day-1.jsonl", content);

        assertEquals(List.of(early, late), contents.posts(), "posts in event-time order");
        List<DeadLetter> rejected = contents.rejected();
        assertEquals(List.of("day-1.jsonl:4", "day-1.jsonl:5", "day-1.jsonl:6", "day-1.jsonl:7", "day-1.jsonl:8",
                "day-1.jsonl:9"), rejected.stream().map(DeadLetter::location).toList());
        assertTrue(rejected.stream().allMatch(d -> d.source().equals("jsonl:day-1.jsonl")));
        assertEquals(List.of(malformed, unknownField, wrongSchema, noId, noObservedAt, notAnObject),
                rejected.stream().map(DeadLetter::input).toList(), "inputs untouched");
        assertTrue(rejected.get(0).reason().startsWith("malformed JSON: "), rejected.get(0).reason());
        assertTrue(rejected.get(1).reason().contains("\"colour\""), rejected.get(1).reason());
        assertEquals("schema \"dead-letter/1\" where \"post/1\" was expected", rejected.get(2).reason());
        assertEquals("invalid post/1: id is required", rejected.get(3).reason());
        assertTrue(rejected.get(4).reason().contains("observedAt is required"), rejected.get(4).reason());
        assertEquals("expected a JSON object with \"schema\": \"post/1\"", rejected.get(5).reason());
        assertTrue(rejected.stream().allMatch(d -> d.rejectedAt() != null));
    }

    /**
     * Lines out of bounds (a clock in 1969 or in year 1, an absurd count, an oversized title) are dead letters with
     * their line and reason; the lines around them replay, a recent one included: archives are not held to the clock.
     */
    @Test
    void linesOutOfBoundsAreDeadLettersAndTheRestReplays() throws IOException {
        Post before = post("before", T0);
        Post recent = post("recent", Instant.now().plusSeconds(60));
        String year1969 = line(post("old", Instant.parse("1969-12-31T23:59:59Z")));
        String year1 = line(post("older", T0)).replace("\"observedAt\":\"" + T0 + "\"", "\"observedAt\":\"0001-01-01T00:00:00Z\"");
        String maxLong = line(post("viral", T0)).replace("\"views\":10", "\"views\":9223372036854775807");
        String longTitle = line(post("long", T0)).replace("\"title long\"", "\"" + "标".repeat(1001) + "\"");

        ArchiveContents contents = read("bounds.jsonl", String.join("\n", line(before), year1969, year1, maxLong, longTitle,
                line(recent)) + "\n");

        assertEquals(List.of(before, recent), contents.posts());
        List<DeadLetter> rejected = contents.rejected();
        assertEquals(List.of("bounds.jsonl:2", "bounds.jsonl:3", "bounds.jsonl:4", "bounds.jsonl:5"),
                rejected.stream().map(DeadLetter::location).toList());
        assertEquals(List.of(year1969, year1, maxLong, longTitle), rejected.stream().map(DeadLetter::input).toList(), "inputs untouched");
        assertEquals("out of bounds: observedAt is 1969-12-31T23:59:59Z, before the earliest accepted event time "
                + "2000-01-01T00:00:00Z (ingest.limits.earliest)", rejected.get(0).reason());
        assertTrue(rejected.get(1).reason().startsWith("out of bounds: observedAt is 0001-01-01T00:00:00Z, before"), rejected.get(1).reason());
        assertEquals("out of bounds: engagement.views is 9223372036854775807, more than the 1000000000000 allowed",
                rejected.get(2).reason());
        assertEquals("out of bounds: title has 1001 characters, more than the 1000 allowed", rejected.get(3).reason());
    }

    @Test
    void aDumpOfPostsRawReplaysAsItWas() throws IOException {
        Post first = post("a", T0);
        Post second = new Post("b", "news", null, "", "", "", T0, T0.plusSeconds(5), Engagement.ZERO, true, "a");
        String dump = new String(Topics.POST.serialize("posts.raw", first), UTF_8) + "\n"
                + new String(Topics.POST.serialize("posts.raw", second), UTF_8) + "\n";

        ArchiveContents contents = read("posts.raw.jsonl", dump);

        assertEquals(List.of(first, second), contents.posts());
        assertEquals(List.of(), contents.rejected());
    }

    @Test
    void windowsLineEndingsAByteOrderMarkAndNoFinalNewlineAreFine() throws IOException {
        Post a = post("a", T0);
        Post b = post("b", T0.plusSeconds(1));
        ArchiveContents contents = read("crlf.jsonl", "\uFEFF" + line(a) + "\r\n" + line(b));
        assertEquals(List.of(a, b), contents.posts());
        assertEquals(List.of(), contents.rejected());
    }

    @Test
    void invalidUtf8IsRejectedWithTheOffsetOfTheBadByte() throws IOException {
        Post good = post("good", T0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("{\"schema\":\"post/1\",\"text\":\"caf".getBytes(UTF_8));
        bytes.write(0xE9); // Latin-1 é: not UTF-8
        bytes.write("\"}\n".getBytes(UTF_8));
        bytes.write((line(good) + "\n").getBytes(UTF_8));
        Path file = dir.resolve("latin1.jsonl");
        Files.write(file, bytes.toByteArray());

        ArchiveContents contents = Archives.read(ArchiveFormat.JSONL, file, BOUNDS);

        assertEquals(List.of(good), contents.posts());
        DeadLetter rejected = contents.rejected().get(0);
        assertEquals("latin1.jsonl:1", rejected.location());
        assertEquals("line is not valid UTF-8 (first bad byte at offset 30)", rejected.reason());
        assertEquals("{\"schema\":\"post/1\",\"text\":\"caf\uFFFD\"}", rejected.input());
    }

    @Test
    void aLineOverOneMebibyteIsRejectedWithItsInputCutTo64KiB() throws IOException {
        Post good = post("after", T0);
        String huge = "{\"schema\":\"post/1\",\"text\":\"" + "汉".repeat(400_000) + "\"}"; // 1.2 MB of UTF-8
        ArchiveContents contents = read("huge.jsonl", huge + "\n" + line(good) + "\n");

        assertEquals(List.of(good), contents.posts());
        DeadLetter rejected = contents.rejected().get(0);
        assertEquals("huge.jsonl:1", rejected.location());
        assertEquals("line of " + huge.getBytes(UTF_8).length + " bytes is over the 1 MiB limit"
                + " (input truncated to its first 64 KiB)", rejected.reason());
        assertTrue(huge.startsWith(rejected.input()));
        int inputBytes = rejected.input().getBytes(UTF_8).length;
        assertTrue(inputBytes <= 64 * 1024 && inputBytes > 64 * 1024 - 3, "cut at a character boundary: " + inputBytes);
    }

    @Test
    void aDirectoryIsReadInNameOrderAndTiesKeepThatOrder() throws IOException {
        Post fromB = post("from-b", T0);
        Post fromA = post("from-a", T0);
        Post earliest = post("earliest", T0.minusSeconds(1));
        Files.writeString(dir.resolve("part-b.jsonl"), line(fromB) + "\n" + line(earliest) + "\n");
        Files.writeString(dir.resolve("part-a.jsonl"), line(fromA) + "\n");
        Files.writeString(dir.resolve("notes.txt"), "not an archive\n");

        ArchiveContents contents = Archives.read(ArchiveFormat.JSONL, dir, BOUNDS);

        assertEquals(List.of(earliest, fromA, fromB), contents.posts());
        assertEquals(List.of(), contents.rejected());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void gzipIsToldByItsMagicBytesNotByTheName() throws IOException {
        Post a = post("a", T0);
        Post b = post("b", T0.plusSeconds(1));
        Post c = post("c", T0.plusSeconds(2));
        Files.write(dir.resolve("day-1.jsonl.gz"), gzip(line(a) + "\n"));
        Files.write(dir.resolve("day-2.jsonl"), gzip(line(b) + "\n"));            // compressed, plain name
        Files.writeString(dir.resolve("day-3.jsonl.gz"), line(c) + "\n");          // plain, compressed name
        Files.write(dir.resolve("notes.txt.gz"), gzip("not an archive\n"));

        assertEquals(List.of(a, b, c), Archives.read(ArchiveFormat.JSONL, dir, BOUNDS).posts());
        assertEquals(List.of(b), Archives.read(ArchiveFormat.JSONL, dir.resolve("day-2.jsonl"), BOUNDS).posts());
    }

    @Test
    void compressedDataThatBreaksOffKeepsTheLinesBeforeAndSaysWhereItBroke() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(line(post("p" + i, T0.plusSeconds(i)))).append('\n');
        }
        byte[] whole = gzip(text.toString());
        Path file = dir.resolve("cut.jsonl.gz");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        ArchiveContents contents = Archives.read(ArchiveFormat.JSONL, file, BOUNDS);

        int kept = contents.posts().size();
        assertTrue(kept > 0 && kept < 2000, "the lines before the break: " + kept);
        assertEquals(1, contents.rejected().size());
        DeadLetter broken = contents.rejected().get(0);
        assertEquals("cut.jsonl.gz:" + (kept + 1), broken.location());
        assertTrue(broken.reason().startsWith("compressed data broken off (") && broken.reason().endsWith(
                "): this line and any after it are lost"), broken.reason());
        assertTrue(line(post("p" + kept, T0.plusSeconds(kept))).startsWith(broken.input()), "the start of the broken line");
    }

    @Test
    void aMissingArchiveIsAnError() {
        IOException e = assertThrows(IOException.class, () -> Archives.read(ArchiveFormat.JSONL, dir.resolve("nope.jsonl"), BOUNDS));
        assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
    }
}
