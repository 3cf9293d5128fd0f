package org.opinionwatch.classifier.story;

import java.util.Arrays;
import org.opinionwatch.classifier.subject.TextNormalizer;

/**
 * What a post says, reduced to the set of its character bigrams: two posts telling the same story in slightly
 * different words (a reworded title, an added exclamation, Traditional for Simplified) share most of them.
 * Character bigrams, not words: Chinese has no spaces to split words on, and bigrams are what Chinese
 * near-duplicate detection commonly uses without a segmenter.
 *
 * @param bigrams the distinct bigrams, each as its two code points in one long (21 bits each: exact, no collisions), sorted
 */
public record StoryFingerprint(long[] bigrams) {
    /** Only the beginning of a long text tells its story; a forum thread's hundredth line does not. */
    static final int MAX_CHARS = 400;

    /**
     * What of a post's title and text tells its story: normalized (width, script, case), with punctuation, spaces
     * and symbols left out, and only the beginning of a long text.
     */
    public static String essence(String title, String text) {
        String normalized = TextNormalizer.normalize(title + " " + text);
        StringBuilder out = new StringBuilder();
        normalized.codePoints().filter(Character::isLetterOrDigit).limit(MAX_CHARS).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** The fingerprint of an {@link #essence}. */
    public static StoryFingerprint of(String essence) {
        int[] cps = essence.codePoints().toArray();
        long[] pairs = new long[Math.max(0, cps.length - 1)];
        for (int i = 0; i + 1 < cps.length; i++) {
            pairs[i] = (long) cps[i] << 21 | cps[i + 1];
        }
        return new StoryFingerprint(Arrays.stream(pairs).sorted().distinct().toArray());
    }

    public static StoryFingerprint of(String title, String text) {
        return of(essence(title, text));
    }

    public int size() {
        return bigrams.length;
    }

    /** Jaccard similarity of the two bigram sets: shared bigrams over all bigrams, 0 (nothing shared) to 1. */
    public double similarity(StoryFingerprint other) {
        long[] a = bigrams;
        long[] b = other.bigrams;
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        int shared = 0;
        for (int i = 0, j = 0; i < a.length && j < b.length; ) {
            if (a[i] == b[j]) {
                shared++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) shared / (a.length + b.length - shared);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoryFingerprint f && Arrays.equals(bigrams, f.bigrams);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bigrams);
    }

    @Override
    public String toString() {
        return "StoryFingerprint" + Arrays.toString(bigrams);
    }
}
