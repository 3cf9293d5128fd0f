package org.opinionwatch.classifier.subject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching one post against 5,000 keywords in 50 subjects (with exclusions and all-of groups), posts of a realistic
 * length (a 20-character title, a 200-character text) in mixed Traditional and Simplified Chinese. Most posts match no
 * subject, the worst case for a matcher that stops at the first subject that matches. Run with
 * {@code mvn -q -B -Pbench compile exec:exec} in {@code classifier/} (see the {@code bench} profile of its pom).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubjectMatcherBenchmark {
    /** Campus-complaint characters, both forms where they differ, plus punctuation, Latin letters and a space. */
    private static final String CHARACTERS = "學学校食堂飯饭菜醫医院發发現现考試试體体育館馆書书圖图電电腦脑網网絡络門门開开會会"
            + "長长車车樓楼宿舍水費费課课師师生藥药錢钱問问題题的了是在有我他这個个们，。！？abc ";

    private SubjectMatcher matcher;
    private Post[] posts;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(5000);
        List<Subject> subjects = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            List<String> keywords = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                keywords.add(randomText(random, 4 + random.nextInt(3)));
            }
            subjects.add(new Subject("s" + s, "s" + s, keywords, List.of(randomText(random, 3)),
                    s % 3 == 0 ? List.of(List.of(randomText(random, 2), randomText(random, 2))) : List.of(), false));
        }
        matcher = new SubjectMatcher(subjects);
        posts = new Post[1024];
        for (int i = 0; i < posts.length; i++) {
            posts[i] = new Post("p" + i, "bench", null, randomText(random, 20), randomText(random, 200), "a", null,
                    Instant.EPOCH, null, false, null);
        }
    }

    @Benchmark
    public Object match() {
        next = (next + 1) & (posts.length - 1);
        return matcher.match(posts[next]);
    }

    /** Normalization alone, of the same posts: how much of {@link #match()} it is. */
    @Benchmark
    public Object normalize() {
        next = (next + 1) & (posts.length - 1);
        return TextNormalizer.normalize(posts[next].text());
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
        }
        return sb.toString();
    }
}
