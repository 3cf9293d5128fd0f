package org.opinionwatch.ingest.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.SharedDatasets;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.publish.PostBounds;

class WeiboCedArchiveTest {
    private static final PostBounds BOUNDS = PostBounds.archive(ConfigLoader.load(null, Map.of()).ingest().limits());

    /** The bundled sample; tests run in the module directory. */
    static final Path SAMPLE = Path.of("../samples/weibo-ced");
    /** The whole dataset, where the team's shared files are; the test that needs it is skipped elsewhere. */
    static final Path FULL_DATASET = SharedDatasets.WEIBO_CED;

    @TempDir
    Path dataset;

    // ---- the bundled sample --------------------------------------------------------------------------------

    @Test
    void theSampleReadsWithOnlyItsKnownFlawsRejected() throws IOException {
        ArchiveContents contents = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS);

        assertEquals(19, originals(contents).size());
        assertEquals(6126, contents.posts().size() - 19, "reactions: 6,131 in the files, 5 rejected");
        Map<String, String> reasons = contents.rejected().stream()
                .collect(Collectors.toMap(DeadLetter::location, DeadLetter::reason, (a, b) -> a, LinkedHashMap::new));
        String noYear = " is not a date like \"2011-01-06 17:20:49\" (yyyy-MM-dd HH:mm:ss, Beijing time)";
        assertEquals(Map.of(
                "non-rumor-repost/3380_Aj0VisyzO_1642088277.json#374",
                "duplicate of #0 (same mid \"Aj1GTfzLE\"): one reaction counted twice would double count",
                "non-rumor-repost/4830_yBXKJ329o_1286993995.json#0", "\"date\" \"06月18日 15:35\"" + noYear,
                "non-rumor-repost/4830_yBXKJ329o_1286993995.json#1", "\"date\" \"06月08日 18:31\"" + noYear,
                "rumor-repost/2460_z4iqIxgiX_1249076711.json#0", "\"date\" \"08月23日 07:04\"" + noYear,
                "rumor-repost/2460_z4iqIxgiX_1249076711.json#1", "\"date\" \"07月25日 23:00\"" + noYear), reasons);
        DeadLetter first = contents.rejected().stream()
                .filter(d -> d.location().equals("rumor-repost/2460_z4iqIxgiX_1249076711.json#0")).findFirst().orElseThrow();
        assertEquals("weibo-ced", first.source());
        assertTrue(first.input().startsWith("{") && first.input().endsWith("}") && first.input().contains("\"08月23日 07:04\""),
                "the reaction's own JSON text: " + first.input());
    }

    @Test
    void snapshotsOfAnIncidentAreCumulative() throws IOException {
        ArchiveContents contents = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS);
        Map<String, List<Post>> byId = contents.posts().stream()
                .collect(Collectors.groupingBy(Post::id, LinkedHashMap::new, Collectors.toList()));
        assertEquals(19, byId.size());
        for (List<Post> snapshots : byId.values()) {
            Post original = snapshots.stream().filter(p -> p.engagement().isZero()).findFirst().orElseThrow();
            List<Post> reactions = snapshots.stream().filter(p -> !p.engagement().isZero()).toList();
            for (int i = 0; i < reactions.size(); i++) {
                Post snapshot = reactions.get(i);
                assertEquals(new Engagement(0, i + 1, 0, 0), snapshot.engagement(), snapshot.id());
                assertEquals(original, new Post(snapshot.id(), snapshot.source(), snapshot.url(), snapshot.title(),
                        snapshot.text(), snapshot.author(), snapshot.publishedAt(), original.observedAt(),
                        Engagement.ZERO, snapshot.mainstream(), snapshot.repostOf()), "same post, only observed later");
                if (i > 0) {
                    assertFalse(snapshot.observedAt().isBefore(reactions.get(i - 1).observedAt()), snapshot.id());
                }
            }
        }
        assertEquals(638, byId.get("weibo-ced:1890_A1VD0majf_2827469920").size() - 1);
    }

    @Test
    void theSampleShowsEverySeverityOfThePlan() throws IOException {
        Map<String, Integer> peaks = peakCommentsIn24Hours(Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS));
        assertTrue(count(peaks, n -> n >= 500) >= 2, "CRITICAL: " + peaks);
        assertTrue(count(peaks, n -> n >= 100 && n < 500) >= 2, "MAJOR: " + peaks);
        assertTrue(count(peaks, n -> n < 100) >= 2, "below MAJOR: " + peaks);
        assertEquals(622, peaks.get("weibo-ced:1890_A1VD0majf_2827469920"));
        assertEquals(240, peaks.get("weibo-ced:880_zvNvYm7GV_3421736710"), "534 reactions, but spread over days");
    }

    @Test
    void originalsMapToPosts() throws IOException {
        ArchiveContents contents = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS);
        Post outlet = originals(contents).get("weibo-ced:3380_Aj0VisyzO_1642088277");
        assertEquals("weibo-ced", outlet.source());
        assertEquals("https://weibo.com/1642088277/Aj0VisyzO", outlet.url(), "the post on Weibo, from NAME's MID and UID");
        assertEquals("1642088277", outlet.author(), "the UID from the file name: user objects carry no name");
        assertTrue(outlet.mainstream(), "verified_type 3");
        assertEquals(Instant.ofEpochSecond(1384594963), outlet.publishedAt());
        assertEquals(outlet.publishedAt(), outlet.observedAt());
        assertEquals(40, outlet.title().codePointCount(0, outlet.title().length()));
        assertTrue(outlet.text().startsWith(outlet.title()));

        // One of the originals whose user is the string "empty" and whose time is Weibo's API date.
        Post odd = originals(contents).get("weibo-ced:880_zvNvYm7GV_3421736710");
        assertEquals(Instant.parse("2013-05-08T12:44:17Z"), odd.publishedAt());
        assertEquals("3421736710", odd.author());
        assertFalse(odd.mainstream());
    }

    @Test
    void aGzippedCopyOfTheSampleReadsAsTheSample() throws IOException {
        // Every file compressed; originals keep their plain name, reactions get .json.gz: the content decides.
        try (var files = Files.walk(SAMPLE)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String relative = SAMPLE.relativize(file).toString();
                if (Files.isRegularFile(file) && relative.endsWith(".json")) {
                    write(relative.startsWith("original-microblog") ? relative : relative + ".gz", gzip(Files.readAllBytes(file)));
                }
            }
        }
        ArchiveContents plain = Archives.read(ArchiveFormat.WEIBO_CED, SAMPLE, BOUNDS);

        ArchiveContents compressed = read();

        assertEquals(plain.posts(), compressed.posts());
        assertEquals(plain.rejected().stream().map(d -> d.location().replace(".json#", ".json.gz#") + " " + d.reason()).toList(),
                compressed.rejected().stream().map(d -> d.location() + " " + d.reason()).toList());
    }

    @Test
    void aNameWithAPlainAndAGzippedFileUsesThePlainOneAndRejectsTheOther() throws IOException {
        write("original-microblog/1_abc_111.json", ORIGINAL.formatted("one", 0));
        write("original-microblog/1_abc_111.json.gz", gzip(ORIGINAL.formatted("two", 0).getBytes(UTF_8)));
        write("rumor-repost/1_abc_111.json.gz", java.util.Arrays.copyOf(gzip(("[" + reaction("m1", "2012-09-13 09:00:00")
                + "]").getBytes(UTF_8)), 20));

        ArchiveContents contents = read();

        assertEquals(List.of("原文 one"), contents.posts().stream().map(Post::text).toList());
        assertEquals("a second file of NAME 1_abc_111 beside original-microblog/1_abc_111.json, which was used",
                rejected(contents, "original-microblog/1_abc_111.json.gz").reason());
        assertTrue(rejected(contents, "rumor-repost/1_abc_111.json.gz").reason().startsWith("compressed data broken off ("),
                "a cut-off file is a dead letter, not a failed replay");
        assertEquals(2, contents.rejected().size());
    }

    private static byte[] gzip(byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    // ---- the full dataset ----------------------------------------------------------------------------------

    @Test
    void readsTheWholeDataset() throws IOException {
        assumeTrue(SharedDatasets.available(FULL_DATASET), "the full dataset is not at " + FULL_DATASET.toAbsolutePath());
        long start = System.nanoTime();
        ArchiveContents contents = Archives.read(ArchiveFormat.WEIBO_CED, FULL_DATASET, BOUNDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        long originals = originals(contents).size();
        long reactions = contents.posts().size() - originals;
        long badDates = contents.rejected().stream().filter(d -> d.reason().startsWith("\"date\"")).count();
        long duplicates = contents.rejected().stream().filter(d -> d.reason().startsWith("duplicate of")).count();
        System.out.printf("weibo-ced: %d originals, %d reactions as snapshots, %d rejected (%d dates without a year,"
                + " %d duplicates) in %d ms%n", originals, reactions, contents.rejected().size(), badDates, duplicates,
                took.toMillis());
        assertEquals(344, originals);
        assertEquals(9, badDates);
        assertEquals(78, duplicates);
        assertEquals(87, contents.rejected().size(), "nothing else rejected");
        assertEquals(132_720 - 9 - 78, reactions, "every reaction in the files is a snapshot or a dead letter");
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    }

    // ---- hand-written bad input ----------------------------------------------------------------------------

    private static final String ORIGINAL = """
            {"text":"原文 %s","user":{"verified":true,"verified_type":%d},"time":1347334462,"comments":99,"reposts":99}
            """;

    private static String reaction(String mid, String date) {
        return "{\"kids\":[],\"uid\":\"1\",\"parent\":\"\",\"text\":\"\",\"mid\":\"" + mid + "\",\"date\":\"" + date + "\"}";
    }

    private void write(String relative, String content) throws IOException {
        write(relative, content.getBytes(UTF_8));
    }

    private void write(String relative, byte[] content) throws IOException {
        Path file = dataset.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private ArchiveContents read() throws IOException {
        return Archives.read(ArchiveFormat.WEIBO_CED, dataset, BOUNDS);
    }

    private static DeadLetter rejected(ArchiveContents contents, String location) {
        return contents.rejected().stream().filter(d -> d.location().equals(location)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter at " + location + " in " + contents.rejected()));
    }

    @Test
    void aReactionsTimeIsWhatItsFormatReadsOrRejectedAsItWouldBe() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
        for (String text : List.of("2011-01-06 17:20:49", "2012-02-29 00:00:00", "2015-12-31 23:59:59", "0000-01-01 00:00:00",
                "2012-02-30 10:00:00", "2011-02-29 10:00:00", "2012-13-01 10:00:00", "2012-00-10 10:00:00", "2012-09-13 24:00:00",
                "2012-09-13 09:60:00", "2012-09-13 09:00:60", "2012-9-13 09:00:00", "2012-09-13T09:00:00", "+12012-09-13 09:00:00",
                "２０１２-09-13 09:00:00", "2012-09-13 09:00:0a", "2012-09-13 09:00:00 ", "")) {
            assertEquals(readOrRejected(() -> LocalDateTime.parse(text, format)),
                    readOrRejected(() -> WeiboCedArchive.reactionTime(text)), text);
        }
    }

    private static String readOrRejected(Supplier<LocalDateTime> read) {
        try {
            return read.get().toString();
        } catch (DateTimeException e) {
            return "rejected";
        }
    }

    @Test
    void badReactionsAreRejectedOneByOneAndTheGoodOnesCount() throws IOException {
        write("original-microblog/1_abc_111.json", ORIGINAL.formatted("one", 3));
        String badDate = reaction("m2", "2012-02-30 10:00:00");
        String noDate = "{\"mid\":\"m3\",\"text\":\"没有日期\"}";
        String numericDate = "{\"mid\":\"m4\",\"date\":1347334462}";
        String duplicate = reaction("m1", "2012-09-13 09:00:00");
        write("rumor-repost/1_abc_111.json", "[\n" + String.join(",\n", reaction("m1", "2012-09-13 09:00:00"),
                badDate, noDate, numericDate, "\"just text\"", "42", "null", duplicate,
                reaction("m5", "2012-09-11 08:00:00"), reaction("m6", "2015-01-01 00:00:00")) + "\n]");

        ArchiveContents contents = read();

        String file = "rumor-repost/1_abc_111.json#";
        assertEquals("\"date\" \"2012-02-30 10:00:00\" is not a date like \"2011-01-06 17:20:49\""
                + " (yyyy-MM-dd HH:mm:ss, Beijing time)", rejected(contents, file + 1).reason());
        assertEquals(badDate, rejected(contents, file + 1).input());
        assertEquals("missing \"date\"", rejected(contents, file + 2).reason());
        assertEquals(noDate, rejected(contents, file + 2).input());
        assertEquals("\"date\" is a number, expected a string like \"2011-01-06 17:20:49\"", rejected(contents, file + 3).reason());
        assertEquals("reaction is a string, expected a JSON object", rejected(contents, file + 4).reason());
        assertEquals("\"just text\"", rejected(contents, file + 4).input());
        assertEquals("reaction is a number, expected a JSON object", rejected(contents, file + 5).reason());
        assertEquals("reaction is null, expected a JSON object", rejected(contents, file + 6).reason());
        assertEquals("duplicate of #0 (same mid \"m1\"): one reaction counted twice would double count",
                rejected(contents, file + 7).reason());
        assertEquals(7, contents.rejected().size());

        // Three good reactions, in date order; one is before the original and one years after: kept at their dates.
        List<Post> posts = contents.posts();
        assertEquals(List.of(Instant.parse("2012-09-11T00:00:00Z"), Instant.ofEpochSecond(1347334462),
                        Instant.parse("2012-09-13T01:00:00Z"), Instant.parse("2014-12-31T16:00:00Z")),
                posts.stream().map(Post::observedAt).toList());
        assertEquals(List.of(1L, 0L, 2L, 3L), posts.stream().map(p -> p.engagement().comments()).toList());
        assertTrue(posts.stream().allMatch(p -> p.id().equals("weibo-ced:1_abc_111") && p.mainstream()));
    }

    /**
     * Only a reaction's own {@code date} and {@code mid} count: not those of its kids, and of a field given twice the
     * last, as a JSON object's reader keeps it.
     */
    @Test
    void aReactionIsReadByItsOwnTopLevelFields() throws IOException {
        write("original-microblog/1_abc_111.json", ORIGINAL.formatted("one", 0));
        String dateInKidsOnly = "{\"mid\":\"m2\",\"kids\":[{\"mid\":\"k1\",\"date\":\"2012-09-13 10:00:00\",\"kids\":[[]]}]}";
        String dateAnObject = "{\"mid\":\"m3\",\"date\":{\"date\":\"2012-09-13 10:00:00\"}}";
        String dateTwice = "{\"date\":\"not a date\",\"mid\":\"m4\",\"text\":\"转发\",\"date\":\"2012-09-14 09:00:00\"}";
        String midTwice = "{\"mid\":\"m1\",\"date\":\"2012-09-15 09:00:00\",\"mid\":{\"m\":1}}";
        write("rumor-repost/1_abc_111.json", "[" + String.join(",", reaction("m1", "2012-09-13 09:00:00"),
                dateInKidsOnly, dateAnObject, dateTwice, midTwice) + "]");

        ArchiveContents contents = read();

        String file = "rumor-repost/1_abc_111.json#";
        assertEquals("missing \"date\"", rejected(contents, file + 1).reason());
        assertEquals(dateInKidsOnly, rejected(contents, file + 1).input());
        assertEquals("\"date\" is an object, expected a string like \"2011-01-06 17:20:49\"", rejected(contents, file + 2).reason());
        assertEquals(dateAnObject, rejected(contents, file + 2).input());
        assertEquals(2, contents.rejected().size());
        // The last "date" of m4 counts; the last "mid" of the fifth is no string, so it is no duplicate of m1.
        assertEquals(List.of(Instant.parse("2012-09-13T01:00:00Z"), Instant.parse("2012-09-14T01:00:00Z"),
                        Instant.parse("2012-09-15T01:00:00Z")),
                contents.posts().stream().skip(1).map(Post::observedAt).toList());
    }

    /** Dates before the earliest accepted event time are dead letters, the original's taking its reactions along. */
    @Test
    void timesOutOfBoundsAreRejectedWithTheReason() throws IOException {
        write("original-microblog/1_abc_111.json", ORIGINAL.formatted("one", 0));
        write("rumor-repost/1_abc_111.json", "[" + String.join(",", reaction("m1", "2012-09-13 09:00:00"),
                reaction("m2", "0001-01-01 08:00:00"), reaction("m3", "1969-12-31 23:59:59")) + "]");
        write("original-microblog/2_abc_222.json", "{\"text\":\"epoch zero\",\"time\":0}");
        write("rumor-repost/2_abc_222.json", "[" + reaction("m1", "2012-09-13 09:00:00") + "]");

        ArchiveContents contents = read();

        assertEquals(List.of(0L, 1L), contents.posts().stream().map(p -> p.engagement().comments()).toList(),
                "the original of 111 and its one reaction in bounds");
        assertEquals("out of bounds: observedAt is 0000-12-31T23:54:17Z, before the earliest accepted event time "
                + "2000-01-01T00:00:00Z (ingest.limits.earliest)", rejected(contents, "rumor-repost/1_abc_111.json#1").reason());
        assertTrue(rejected(contents, "rumor-repost/1_abc_111.json#2").reason().startsWith(
                "out of bounds: observedAt is 1969-12-31T15:59:59Z, before"));
        assertTrue(rejected(contents, "original-microblog/2_abc_222.json").reason().startsWith(
                "out of bounds: publishedAt is 1970-01-01T00:00:00Z, before"));
        assertEquals("reactions to a rejected post (see original-microblog/2_abc_222.json)",
                rejected(contents, "rumor-repost/2_abc_222.json").reason());
    }

    @Test
    void aReactionFileThatIsAnArrayOfNonObjectsRejectsEachElement() throws IOException {
        write("original-microblog/2_abc_222.json", ORIGINAL.formatted("two", 0));
        write("non-rumor-repost/2_abc_222.json", "[1, \"x\", true, [], {\"date\": \"2012-09-12 00:00:00\"}]");

        ArchiveContents contents = read();

        assertEquals(List.of("reaction is a number, expected a JSON object", "reaction is a string, expected a JSON object",
                        "reaction is a boolean, expected a JSON object", "reaction is an array, expected a JSON object"),
                contents.rejected().stream().map(DeadLetter::reason).toList());
        assertEquals(List.of("1", "\"x\"", "true", "[]"), contents.rejected().stream().map(DeadLetter::input).toList());
        assertEquals(2, contents.posts().size(), "the original and the one object");
        assertFalse(contents.posts().get(0).mainstream());
    }

    @Test
    void aReactionFileThatIsNotAnArrayIsRejectedButItsOriginalIsStillPublished() throws IOException {
        write("original-microblog/3_abc_333.json", ORIGINAL.formatted("three", 0));
        write("rumor-repost/3_abc_333.json", "{\"date\":\"2012-09-12 00:00:00\"}");

        ArchiveContents contents = read();

        assertEquals(1, contents.posts().size());
        DeadLetter rejected = rejected(contents, "rumor-repost/3_abc_333.json");
        assertEquals("expected a JSON array of reactions, found an object", rejected.reason());
        assertEquals("{\"date\":\"2012-09-12 00:00:00\"}", rejected.input());
    }

    @Test
    void aTruncatedReactionFileKeepsTheReactionsBeforeTheBreak() throws IOException {
        write("original-microblog/4_abc_444.json", ORIGINAL.formatted("four", 0));
        write("rumor-repost/4_abc_444.json", "[" + reaction("a", "2012-09-12 00:00:00") + ", {\"mid\":\"b\",\"date\":\"2012-09");

        ArchiveContents contents = read();

        assertEquals(2, contents.posts().size());
        DeadLetter rejected = rejected(contents, "rumor-repost/4_abc_444.json#1");
        assertTrue(rejected.reason().startsWith("malformed JSON at line 1, column "), rejected.reason());
        assertTrue(rejected.reason().endsWith("; the 1 reactions before it were kept, the rest is lost"), rejected.reason());
        assertEquals(", {\"mid\":\"b\",\"date\":\"2012-09", rejected.input());
    }

    @Test
    void anOriginalThatIsNotJsonIsRejectedAndSoAreItsReactions() throws IOException {
        String html = "<html><body>微博不存在</body></html>";
        write("original-microblog/5_abc_555.json", html);
        write("rumor-repost/5_abc_555.json", "[" + reaction("a", "2012-09-12 00:00:00") + "]");
        write("original-microblog/6_abc_666.json", ORIGINAL.formatted("six", 0));

        ArchiveContents contents = read();

        DeadLetter original = rejected(contents, "original-microblog/5_abc_555.json");
        assertTrue(original.reason().startsWith("malformed JSON at line 1, column 1: Unexpected character ('<'"),
                original.reason());
        assertEquals(html, original.input());
        assertEquals("reactions to a rejected post (see original-microblog/5_abc_555.json)",
                rejected(contents, "rumor-repost/5_abc_555.json").reason());
        assertEquals(List.of("weibo-ced:6_abc_666"), contents.posts().stream().map(Post::id).toList(),
                "an original without reactions is published alone");
    }

    @Test
    void originalsWithUnusableFieldsAreRejectedWithTheReason() throws IOException {
        write("original-microblog/7_abc_777.json", "[{\"text\":\"an array\"}]");
        write("original-microblog/8_abc_888.json", "{\"text\":\"no time\",\"user\":{}}");
        write("original-microblog/9_abc_999.json", "{\"text\":\"bad time\",\"time\":\"yesterday\"}");
        write("original-microblog/10_abc_1000.json", "{\"text\":12,\"time\":1347334462}");
        write("original-microblog/11_abc_1100.json", "{\"text\":\"two\",\"time\":1} {\"text\":\"objects\",\"time\":2}");
        write("original-microblog/12_abc_1200.json", new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}'});
        write("original-microblog/13_abc_1300.json", "");

        ArchiveContents contents = read();

        assertEquals(List.of(), contents.posts());
        Map<String, String> reasons = new LinkedHashMap<>();
        contents.rejected().forEach(d -> reasons.put(d.location().replace("original-microblog/", ""), d.reason()));
        assertEquals(Map.of(
                "7_abc_777.json", "expected a JSON object (an original post), found an array",
                "8_abc_888.json", "missing \"time\"",
                "9_abc_999.json", "\"time\" \"yesterday\" is neither epoch seconds nor a date like \"Wed May 08 20:44:17 +0800 2013\"",
                "10_abc_1000.json", "\"text\" is a number, expected a string",
                "11_abc_1100.json", "unexpected content after the JSON object at line 1, column 25",
                "12_abc_1200.json", "file is not valid UTF-8 (first bad byte at offset 9)",
                "13_abc_1300.json", "empty file, expected a JSON object"), reasons);
    }

    @Test
    void anOddButUsableOriginalIsKept() throws IOException {
        // As in the real files: user is the string "empty" and time is Weibo's API date; text may be empty.
        write("original-microblog/14_abc_1400.json",
                "{\"multi\":null,\"text\":\"\",\"user\":\"empty\",\"time\":\"Tue Sep 11 17:08:18 +0800 2012\"}");
        write("original-microblog/15.json", "{\"text\":\"  第一行\\n\\t第二行　" + "长".repeat(50) + "\",\"time\":1347334462}");

        ArchiveContents contents = read();

        assertEquals(List.of(), contents.rejected());
        Post odd = originals(contents).get("weibo-ced:14_abc_1400");
        assertEquals(Instant.parse("2012-09-11T09:08:18Z"), odd.observedAt());
        assertEquals("1400", odd.author());
        assertEquals("", odd.title());
        Post unnamed = originals(contents).get("weibo-ced:15");
        assertEquals("", unnamed.author(), "no UID in a NAME that is not INDEX_MID_UID");
        assertEquals("第一行 第二行 " + "长".repeat(32), unnamed.title(), "40 characters on one line");
    }

    @Test
    void reactionsWithoutAnOriginalAreRejected() throws IOException {
        write("original-microblog/16_abc_1600.json", ORIGINAL.formatted("sixteen", 0));
        write("non-rumor-repost/17_abc_1700.json", "[" + reaction("a", "2012-09-12 00:00:00") + "]");

        ArchiveContents contents = read();

        assertEquals(1, contents.posts().size());
        assertEquals("reactions to a post that is not in the archive: no original-microblog/17_abc_1700.json",
                rejected(contents, "non-rumor-repost/17_abc_1700.json").reason());
    }

    @Test
    void reactionsInBothDirectoriesAreReadOnceFromTheRumourOnes() throws IOException {
        write("original-microblog/18_abc_1800.json", ORIGINAL.formatted("eighteen", 0));
        write("rumor-repost/18_abc_1800.json", "[" + reaction("a", "2012-09-12 00:00:00") + "]");
        write("non-rumor-repost/18_abc_1800.json", "[" + reaction("b", "2012-09-12 00:00:00") + "]");

        ArchiveContents contents = read();

        assertEquals(2, contents.posts().size());
        assertEquals("the same NAME also has reactions in rumor-repost/, which were used",
                rejected(contents, "non-rumor-repost/18_abc_1800.json").reason());
    }

    @Test
    void aDirectoryWithoutOriginalsIsNotACedDataset() {
        IOException e = assertThrows(IOException.class, this::read);
        assertTrue(e.getMessage().startsWith("not a Weibo CED dataset: no original-microblog/ in "), e.getMessage());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The first snapshot of each post: the original, at its publication time. */
    private static Map<String, Post> originals(ArchiveContents contents) {
        Map<String, Post> originals = new LinkedHashMap<>();
        contents.posts().stream().filter(p -> p.engagement().isZero()).forEach(p -> originals.putIfAbsent(p.id(), p));
        return originals;
    }

    /** Per post, the most comments that arrived within any trailing 24 h, (t − 24 h, t]. */
    static Map<String, Integer> peakCommentsIn24Hours(ArchiveContents contents) {
        Map<String, List<Instant>> times = new LinkedHashMap<>();
        contents.posts().stream().filter(p -> !p.engagement().isZero())
                .forEach(p -> times.computeIfAbsent(p.id(), id -> new ArrayList<>()).add(p.observedAt()));
        Map<String, Integer> peaks = new LinkedHashMap<>();
        originals(contents).keySet().forEach(id -> peaks.put(id, 0));
        times.forEach((id, list) -> {
            int peak = 0;
            for (int end = 0, start = 0; end < list.size(); end++) {
                while (!list.get(start).isAfter(list.get(end).minus(Duration.ofHours(24)))) {
                    start++;
                }
                peak = Math.max(peak, end - start + 1);
            }
            peaks.put(id, peak);
        });
        return peaks;
    }

    private static long count(Map<String, Integer> peaks, Predicate<Integer> test) {
        return peaks.values().stream().filter(test).count();
    }
}
