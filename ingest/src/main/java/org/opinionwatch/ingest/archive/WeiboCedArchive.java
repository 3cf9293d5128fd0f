package org.opinionwatch.ingest.archive;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.serde.AsciiDigits;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.ingest.publish.PostBounds;

/**
 * The Weibo CED dataset (Song et al., "CED: Credible Early Detection of Social Media Rumors", arXiv:1811.04175):
 * {@code original-microblog/NAME.json} is an original post, {@code rumor-repost/NAME.json} or
 * {@code non-rumor-repost/NAME.json} the reactions to it.
 *
 * <p>Each incident becomes a series of cumulative snapshots of one post, id {@code "weibo-ced:" + NAME}: the
 * original at its {@code time} with no engagement, then one snapshot per reaction in date order, the i-th with
 * {@code comments = i}. The final counts in the original file are not used: the reactions are those counts spread
 * over time, so publishing both would count twice.
 *
 * <p>Every original or reaction that cannot be used, or that is out of {@linkplain PostBounds bounds}, becomes a dead letter (source {@code weibo-ced}, location
 * {@code original-microblog/NAME.json} or {@code rumor-repost/NAME.json#index}, index 0-based in the array) and
 * reading goes on.
 *
 * <p>Any file may be gzip-compressed, as {@code NAME.json.gz} or under its plain name ({@link Gzip} tells by its
 * first bytes). A NAME with both files in one directory uses {@code NAME.json}; the other is a dead letter.
 */
final class WeiboCedArchive {
    static final String SOURCE = "weibo-ced";
    static final String ID_PREFIX = SOURCE + ":";
    static final int TITLE_CODE_POINTS = 40;
    static final String ORIGINALS = "original-microblog";
    /** Rumour first: if both hold a NAME (never so in the published dataset), the rumour label wins. */
    static final List<String> REACTION_DIRS = List.of("rumor-repost", "non-rumor-repost");

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter REACTION_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    /** A few originals carry Weibo's API date ("Wed May 08 20:44:17 +0800 2013") instead of epoch seconds. */
    private static final DateTimeFormatter API_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z uuuu", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);

    /** Any run of whitespace, Unicode's included (the ideographic space U+3000 is common in Chinese text). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final Path dataset;
    private final PostBounds bounds;
    private final List<Post> posts = new ArrayList<>();
    private final List<DeadLetter> rejected = new ArrayList<>();

    private WeiboCedArchive(Path dataset, PostBounds bounds) {
        this.dataset = dataset;
        this.bounds = bounds;
    }

    static ArchiveContents read(Path dataset, PostBounds bounds) throws IOException {
        if (!Files.isDirectory(dataset.resolve(ORIGINALS))) {
            throw new IOException("not a Weibo CED dataset: no " + ORIGINALS + "/ in " + dataset);
        }
        WeiboCedArchive archive = new WeiboCedArchive(dataset, bounds);
        archive.readAll();
        return new ArchiveContents(archive.posts, archive.rejected);
    }

    private void readAll() throws IOException {
        Map<String, List<String>> reactionFilesByName = new LinkedHashMap<>();
        for (String dir : REACTION_DIRS) {
            for (Map.Entry<String, String> file : files(dir).entrySet()) {
                reactionFilesByName.computeIfAbsent(file.getKey(), n -> new ArrayList<>()).add(file.getValue());
            }
        }
        for (Map.Entry<String, String> original : files(ORIGINALS).entrySet()) {
            List<String> reactions = reactionFilesByName.remove(original.getKey());
            readIncident(original.getValue(), reactions == null ? List.of() : reactions);
        }
        for (Map.Entry<String, List<String>> orphan : reactionFilesByName.entrySet()) {
            for (String file : orphan.getValue()) {
                rejectFile(file, "reactions to a post that is not in the archive: no "
                        + ORIGINALS + "/" + orphan.getKey() + ".json");
            }
        }
    }

    /**
     * The {@code *.json} and {@code *.json.gz} files of one directory by NAME, in name order, as locations
     * ({@code dir/NAME.json}); none if the directory does not exist.
     */
    private Map<String, String> files(String dir) throws IOException {
        Path path = dataset.resolve(dir);
        if (!Files.isDirectory(path)) {
            return Map.of(); // a dataset may hold only rumours, only non-rumours, or no reactions at all
        }
        List<String> fileNames;
        try (Stream<Path> files = Files.list(path)) {
            fileNames = files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(f -> Gzip.withoutSuffix(f).endsWith(".json"))
                    .sorted() // NAME.json before NAME.json.gz: the plain one is used
                    .toList();
        }
        Map<String, String> byName = new java.util.TreeMap<>();
        for (String fileName : fileNames) {
            String plain = Gzip.withoutSuffix(fileName);
            String name = plain.substring(0, plain.length() - ".json".length());
            String location = dir + "/" + fileName;
            String used = byName.putIfAbsent(name, location);
            if (used != null) {
                rejectFile(location, "a second file of NAME " + name + " beside " + used + ", which was used");
            }
        }
        return byName;
    }

    private void readIncident(String originalFile, List<String> reactionFiles) throws IOException {
        Post original = readOriginal(originalFile);
        if (original == null) {
            for (String file : reactionFiles) {
                rejectFile(file, "reactions to a rejected post (see " + originalFile + ")");
            }
            return;
        }
        posts.add(original);
        if (reactionFiles.isEmpty()) {
            return; // an original nobody reacted to is still a post
        }
        List<Instant> dates = readReactions(reactionFiles.get(0));
        for (String other : reactionFiles.subList(1, reactionFiles.size())) {
            String used = reactionFiles.get(0);
            rejectFile(other, "the same NAME also has reactions in " + used.substring(0, used.indexOf('/') + 1) + ", which were used");
        }
        Collections.sort(dates);
        for (int i = 0; i < dates.size(); i++) {
            posts.add(snapshot(original, dates.get(i), i + 1));
        }
    }

    /** The i-th snapshot: everything as in the original but the observation time and the comments so far. */
    private static Post snapshot(Post original, Instant observedAt, long comments) {
        return new Post(original.id(), original.source(), original.url(), original.title(), original.text(),
                original.author(), original.publishedAt(), observedAt, new Engagement(0, comments, 0, 0),
                original.mainstream(), original.repostOf());
    }

    /** The original post at {@code location} ({@code original-microblog/NAME.json}), or null after adding a dead letter. */
    private Post readOriginal(String location) throws IOException {
        String name = nameOf(location);
        String json = readText(location);
        if (json == null) {
            return null;
        }
        try {
            JsonNode root = readSingleValue(json);
            if (!root.isObject()) {
                throw new Unusable("expected a JSON object (an original post), found " + describe(root));
            }
            String text = optionalString(root, "text");
            JsonNode user = root.get("user");
            Instant time = postTime(root.get("time"));
            Post post = new Post(ID_PREFIX + name, SOURCE, url(name), title(text), text, author(user, name), time, time,
                    Engagement.ZERO, isMediaOutlet(user), null);
            List<Limits.Violation> violations = bounds.check(post);
            if (!violations.isEmpty()) {
                throw new Unusable(PostBounds.reason(violations));
            }
            return post;
        } catch (Unusable e) {
            rejected.add(DeadLetter.of(SOURCE, location, e.getMessage(), json, Instant.now()));
            return null;
        }
    }

    /** The dates of the usable reactions at {@code location}, in file order; each unusable one becomes a dead letter. */
    private List<Instant> readReactions(String location) throws IOException {
        String json = readText(location);
        List<Instant> dates = new ArrayList<>();
        if (json == null) {
            return dates;
        }
        Map<String, Integer> indexByMid = new HashMap<>();
        int index = 0;
        int resumeAt = 0; // where the next element starts, to show the rest of a file that breaks off
        try (JsonParser parser = Json.STRICT.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                rejected.add(DeadLetter.of(SOURCE, location,
                        "expected a JSON array of reactions, found " + describe(first), json, Instant.now()));
                return dates;
            }
            resumeAt = offset(parser.currentLocation());
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int start = offset(parser.currentTokenLocation());
                JsonNode reaction = parser.readValueAsTree();
                resumeAt = offset(parser.currentLocation());
                try {
                    dates.add(reactionDate(reaction, index, indexByMid));
                } catch (Unusable e) {
                    rejected.add(DeadLetter.of(SOURCE, location + "#" + index, e.getMessage(),
                            json.substring(start, resumeAt), Instant.now()));
                }
                index++;
            }
            if (parser.nextToken() != null) {
                throw new Unusable("unexpected content after the array of reactions" + at(parser.currentTokenLocation()));
            }
        } catch (JsonProcessingException e) {
            rejected.add(DeadLetter.of(SOURCE, location + "#" + index,
                    malformed(e) + "; the " + index + " reactions before it were kept, the rest is lost",
                    json.substring(resumeAt).strip(), Instant.now()));
        } catch (Unusable e) {
            rejected.add(DeadLetter.of(SOURCE, location, e.getMessage(), json.substring(resumeAt).strip(), Instant.now()));
        }
        return dates;
    }

    /**
     * {@code text} as {@link #REACTION_DATE} reads it: its usual 19 ASCII characters directly, as the formatter would
     * take most of the time a reaction takes to read (a replay reads 132,720 of them), anything else by the formatter.
     *
     * @throws DateTimeException as the formatter does, for a time that is not one
     */
    static LocalDateTime reactionTime(String text) {
        long seconds = text.length() == 19 ? AsciiDigits.localSeconds(text, ' ') : AsciiDigits.NOT_A_TIME;
        return seconds != AsciiDigits.NOT_A_TIME ? LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC)
                : LocalDateTime.parse(text, REACTION_DATE);
    }

    private Instant reactionDate(JsonNode reaction, int index, Map<String, Integer> indexByMid) throws Unusable {
        if (!reaction.isObject()) {
            throw new Unusable("reaction is " + describe(reaction) + ", expected a JSON object");
        }
        JsonNode date = reaction.get("date");
        if (date == null || date.isNull()) {
            throw new Unusable("missing \"date\"");
        }
        if (!date.isTextual()) {
            throw new Unusable("\"date\" is " + describe(date) + ", expected a string like \"2011-01-06 17:20:49\"");
        }
        Instant instant;
        try {
            instant = reactionTime(date.textValue()).atZone(BEIJING).toInstant();
        } catch (DateTimeException e) {
            throw new Unusable("\"date\" \"" + date.textValue()
                    + "\" is not a date like \"2011-01-06 17:20:49\" (yyyy-MM-dd HH:mm:ss, Beijing time)");
        }
        // The crawl sometimes holds one reaction twice (same mid, differing only in its kids); it is one comment.
        JsonNode mid = reaction.get("mid");
        if (mid != null && mid.isTextual() && !mid.textValue().isBlank()) {
            Integer first = indexByMid.putIfAbsent(mid.textValue(), index);
            if (first != null) {
                throw new Unusable("duplicate of #" + first + " (same mid \"" + mid.textValue()
                        + "\"): one reaction counted twice would double count");
            }
        }
        var outOfBounds = bounds.observedAt(instant);
        if (outOfBounds.isPresent()) {
            throw new Unusable(PostBounds.reason(List.of(outOfBounds.get())));
        }
        return instant;
    }

    /** The file as strict UTF-8, or null after adding a dead letter. */
    private String readText(String location) throws IOException {
        Gzip.Content content = Gzip.readAll(dataset.resolve(location));
        byte[] bytes = content.bytes();
        if (content.broken() != null) {
            rejected.add(DeadLetter.of(SOURCE, location, "compressed data broken off (" + content.broken()
                    + "): the file is not used", Utf8.decodeLeniently(bytes, 0, bytes.length), Instant.now()));
            return null;
        }
        try {
            return Utf8.decode(bytes, 0, bytes.length);
        } catch (Utf8.InvalidUtf8Exception e) {
            rejected.add(DeadLetter.of(SOURCE, location, "file is " + e.getMessage(),
                    Utf8.decodeLeniently(bytes, 0, bytes.length), Instant.now()));
            return null;
        }
    }

    /** A whole file as a dead letter, with what it holds as far as it can be read. */
    private void rejectFile(String location, String reason) throws IOException {
        byte[] bytes = Gzip.readAll(dataset.resolve(location)).bytes();
        rejected.add(DeadLetter.of(SOURCE, location, reason, Utf8.decodeLeniently(bytes, 0, bytes.length), Instant.now()));
    }

    /** NAME of {@code dir/NAME.json} or {@code dir/NAME.json.gz}. */
    private static String nameOf(String location) {
        String plain = Gzip.withoutSuffix(location.substring(location.indexOf('/') + 1));
        return plain.substring(0, plain.length() - ".json".length());
    }

    /** Exactly one JSON value: a file with a second value after the first is not what it claims to be. */
    private static JsonNode readSingleValue(String json) throws Unusable {
        try (JsonParser parser = Json.STRICT.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new Unusable("empty file, expected a JSON object");
            }
            JsonNode value = parser.readValueAsTree();
            if (parser.nextToken() != null) {
                throw new Unusable("unexpected content after the JSON object" + at(parser.currentTokenLocation()));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new Unusable(malformed(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
    }

    private static Instant postTime(JsonNode time) throws Unusable {
        if (time == null || time.isNull()) {
            throw new Unusable("missing \"time\"");
        }
        try {
            if (time.isIntegralNumber() && time.canConvertToLong()) {
                return Instant.ofEpochSecond(time.longValue());
            }
            if (time.isTextual()) {
                return ZonedDateTime.parse(time.textValue(), API_DATE).toInstant();
            }
        } catch (DateTimeException e) {
            // falls through to the rejection below
        }
        throw new Unusable("\"time\" " + (time.isTextual() ? "\"" + time.textValue() + "\"" : "is " + describe(time))
                + " is neither epoch seconds nor a date like \"Wed May 08 20:44:17 +0800 2013\"");
    }

    private static String optionalString(JsonNode object, String field) throws Unusable {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new Unusable("\"" + field + "\" is " + describe(value) + ", expected a string");
        }
        return value.textValue();
    }

    /** The first 40 characters (code points) of the text, on one line. */
    static String title(String text) {
        String oneLine = WHITESPACE.matcher(text.strip()).replaceAll(" ");
        return oneLine.codePointCount(0, oneLine.length()) <= TITLE_CODE_POINTS
                ? oneLine
                : oneLine.substring(0, oneLine.offsetByCodePoints(0, TITLE_CODE_POINTS));
    }

    /**
     * The post's address on Weibo, {@code https://weibo.com/UID/MID} from NAME (INDEX_MID_UID), so that a message
     * about it links to it; null for a name not of that form.
     */
    static String url(String name) {
        String[] parts = name.split("_");
        return parts.length == 3 && parts[1].matches("[0-9A-Za-z]+") && parts[2].matches("[0-9]+")
                ? "https://weibo.com/" + parts[2] + "/" + parts[1] : null;
    }

    private static String author(JsonNode user, String name) {
        if (user != null && user.isObject()) {
            for (String field : List.of("name", "screen_name")) {
                JsonNode value = user.get(field);
                if (value != null && value.isTextual() && !value.textValue().isBlank()) {
                    return value.textValue();
                }
            }
        }
        // CED's user objects carry no name. NAME is INDEX_MID_UID, and UID is the author's Weibo account (the post
        // is weibo.com/UID/MID); it tells authors apart, e.g. when counting distinct outlets.
        String[] parts = name.split("_");
        return parts.length == 3 ? parts[2] : "";
    }

    /** Weibo's verified_type 3 is a media organisation: the plan's "mainstream outlet". */
    private static boolean isMediaOutlet(JsonNode user) {
        return user != null && user.isObject() && user.path("verified_type").asInt(-1) == 3;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "an empty file";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String malformed(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return "malformed JSON" + at(e.getLocation()) + ": " + message.replace('\n', ' ');
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static int offset(JsonLocation location) {
        return (int) location.getCharOffset(); // parsing a String, so offsets are chars of it
    }

    /** Why one original or reaction cannot be used: the message is the dead letter's reason. */
    private static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false); // a verdict on input, not a failure: no stack trace needed
        }
    }
}
