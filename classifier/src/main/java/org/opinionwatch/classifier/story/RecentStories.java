package org.opinionwatch.classifier.story;

import java.util.ArrayList;
import java.util.List;

/**
 * One subject's stories, in the order the grouper compares them: by instant, then by root post id. Kept as parallel
 * lists, the stories in one list that a window of time is a slice of: a new story is compared with a few
 * hundred, and walking a tree map's entries to reach them cost more than comparing them. Stories come nearly in
 * time order, so adding is an append and forgetting the oldest is a cut at the front.
 *
 * <p>Instants before the epoch count as the epoch, as the grouper's store keys them.
 */
public final class RecentStories {
    private final List<Long> instants = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();
    private final List<StoryGrouping.Story> stories = new ArrayList<>();

    /** Adds the story told at {@code at} by the post {@code root}, or replaces the one it told before. */
    public void add(long at, String root, StoryGrouping.Story story) {
        long t = Math.max(0, at);
        int i = indexOf(t, root);
        if (i >= 0) {
            stories.set(i, story);
        } else {
            int at0 = -i - 1;
            instants.add(at0, t);
            roots.add(at0, root);
            stories.add(at0, story);
        }
    }

    /** The stories told in [from, to], in order: a view, which the next change changes. */
    public List<StoryGrouping.Story> between(long from, long to) {
        int lo = firstAtOrAfter(Math.max(0, from));
        int hi = firstAtOrAfter(Math.max(0, to) == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, to) + 1);
        return stories.subList(lo, Math.max(lo, hi));
    }

    /** Forgets the stories told before {@code before}; gives each one's instant and root post, to delete it elsewhere. */
    public void forgetBefore(long before, Forgotten forgotten) {
        int n = firstAtOrAfter(Math.max(0, before));
        for (int i = 0; i < n; i++) {
            forgotten.story(instants.get(i), roots.get(i));
        }
        instants.subList(0, n).clear();
        roots.subList(0, n).clear();
        stories.subList(0, n).clear();
    }

    /** Where a forgotten story was kept. */
    @FunctionalInterface
    public interface Forgotten {
        void story(long at, String root);
    }

    /** The index of the first story told at or after {@code t}. */
    private int firstAtOrAfter(long t) {
        int lo = 0;
        int hi = instants.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (instants.get(mid) < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The index of the story at (t, root), or -(insertion point) - 1. Appends are checked first: the usual case. */
    private int indexOf(long t, String root) {
        int n = instants.size();
        if (n == 0 || compare(n - 1, t, root) < 0) {
            return -n - 1;
        }
        int lo = firstAtOrAfter(t);
        while (lo < n && instants.get(lo) == t) {
            int c = roots.get(lo).compareTo(root);
            if (c == 0) {
                return lo;
            }
            if (c > 0) {
                break;
            }
            lo++;
        }
        return -lo - 1;
    }

    private int compare(int i, long t, String root) {
        int c = Long.compare(instants.get(i), t);
        return c != 0 ? c : roots.get(i).compareTo(root);
    }
}
