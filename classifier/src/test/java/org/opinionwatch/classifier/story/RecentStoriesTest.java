package org.opinionwatch.classifier.story;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecentStoriesTest {
    /** The order the grouper's store keys give: instant (the epoch for earlier ones), then root post id. */
    private static String key(long at, String root) {
        return String.format("%019d", Math.max(0, at)) + "|" + root;
    }

    @Test
    void slicesAndForgetsAsTheStoreKeysOrderThem() {
        Random random = new Random(11);
        RecentStories told = new RecentStories();
        TreeMap<String, StoryGrouping.Story> model = new TreeMap<>();
        for (int step = 0; step < 5_000; step++) {
            // Mostly in time order, some late, some before the epoch, some told again by the same post.
            long at = step * 10L + (random.nextInt(10) == 0 ? -random.nextInt(500) : 0) - 100;
            String root = "p" + random.nextInt(step < 100 ? 5 : 3_000);
            StoryGrouping.Story story = new StoryGrouping.Story("i" + step, StoryFingerprint.of("故事" + step));
            told.add(at, root, story);
            model.put(key(at, root), story);
            long from = at - random.nextInt(300);
            long to = at + random.nextInt(300);
            assertEquals(List.copyOf(model.subMap(key(from, ""), true, key(to, "\uffff"), true).values()), List.copyOf(told.between(from, to)),
                    "the stories told in [" + from + ", " + to + "]");
            if (step % 50 == 0) {
                long before = at - 200;
                List<String> forgotten = new ArrayList<>();
                told.forgetBefore(before, (t, r) -> forgotten.add(key(t, r)));
                var gone = model.headMap(key(before, ""));
                assertEquals(List.copyOf(gone.keySet()), forgotten);
                gone.clear();
            }
        }
        assertEquals(List.copyOf(model.values()), List.copyOf(told.between(Long.MIN_VALUE, Long.MAX_VALUE)));
    }
}
