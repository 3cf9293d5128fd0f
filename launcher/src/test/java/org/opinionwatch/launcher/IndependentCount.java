package org.opinionwatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The instants at which each CED incident must become MAJOR and CRITICAL, computed straight from the dataset's
 * files with none of the product's code: the reaction that brings the number of reactions in the trailing 24 h
 * to 100 (500), or the original's posting instant when its author is a mainstream outlet (verified_type 3).
 */
final class IndependentCount {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final Duration DAY = Duration.ofHours(24);

    /** Expected first instants per incident id ("weibo-ced:" + NAME); a null instant means never. */
    record Expected(Instant major, Instant critical, int reactions, int unusable) {
    }

    static Map<String, Expected> of(Path dataset) throws IOException {
        return of(dataset, 100);
    }

    /** The same with MAJOR at {@code majorComments} reactions in 24 h instead of the plan's 100. */
    static Map<String, Expected> of(Path dataset, int majorComments) throws IOException {
        Map<String, Expected> expected = new TreeMap<>();
        try (var originals = Files.list(dataset.resolve("original-microblog"))) {
            for (Path original : (Iterable<Path>) originals::iterator) {
                String name = original.getFileName().toString().replaceFirst("\\.json$", "");
                JsonNode post = readOrNull(original);
                Instant posted = post == null || !post.isObject() ? null : postTime(post.path("time"));
                if (posted == null) {
                    continue; // not a usable post: the product rejects it to posts.dlq
                }
                boolean mainstream = post.path("user").path("verified_type").asInt(-1) == 3;
                int[] unusable = new int[1];
                List<Instant> reactions = reactionTimes(dataset, name, unusable);
                Instant major = crossing(reactions, majorComments);
                if (mainstream && (major == null || posted.isBefore(major))) {
                    major = posted;
                }
                expected.put("weibo-ced:" + name, new Expected(major, crossing(reactions, 500), reactions.size(), unusable[0]));
            }
        }
        return expected;
    }

    private static List<Instant> reactionTimes(Path dataset, String name, int[] unusable) throws IOException {
        List<Instant> times = new ArrayList<>();
        for (String dir : List.of("rumor-repost", "non-rumor-repost")) {
            Path file = dataset.resolve(dir).resolve(name + ".json");
            JsonNode reactions = Files.exists(file) ? readOrNull(file) : null;
            if (reactions == null || !reactions.isArray()) {
                continue;
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonNode r : reactions) {
                if (!seen.add(r.path("mid").asText())) {
                    unusable[0]++;
                    continue; // the same reaction collected twice counts once
                }
                try {
                    times.add(LocalDateTime.parse(r.path("date").asText(), DATE).atZone(BEIJING).toInstant());
                } catch (RuntimeException unparseable) {
                    unusable[0]++; // the product rejects it to posts.dlq
                }
            }
        }
        times.sort(null);
        return times;
    }

    /** Epoch seconds, or in nine originals Weibo's API form "Wed May 08 20:44:17 +0800 2013". */
    private static Instant postTime(JsonNode time) {
        if (time.canConvertToLong()) {
            return Instant.ofEpochSecond(time.asLong());
        }
        try {
            return java.time.ZonedDateTime.parse(time.asText(),
                    DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", java.util.Locale.ENGLISH)).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The first reaction instant t at which the reactions in (t - 24 h, t] number at least {@code threshold}. */
    static Instant crossing(List<Instant> sorted, int threshold) {
        int start = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Instant t = sorted.get(i);
            while (!sorted.get(start).isAfter(t.minus(DAY))) {
                start++;
            }
            if (i - start + 1 >= threshold) {
                return t;
            }
        }
        return null;
    }

    private static JsonNode readOrNull(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }
}
