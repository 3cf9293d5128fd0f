package org.opinionwatch.classifier.story;

import java.util.Arrays;
import org.opinionwatch.classifier.subject.TextNormalizer;

/**
 * What a post says, reduced to the set of its character bigrams: two posts telling the same story in slightly
 * different words (a reworded title, an added exclamation, Traditional for Simplified) share most of them.
 * Character bigrams, not words: Chinese has no spaces to split words on, and bigrams are what Chinese
 * near-duplicate detection commonly uses without a segmenter.
 *
 * <p>Beside the bigrams, a signature: each bigram hashed to one of {@value #SIGNATURE_BITS} bits. Two signatures
 * bound how many bigrams two fingerprints can share ({@link #mayReach}), in a few machine words, so that a new story
 * is compared bigram by bigram only with the stories that could reach the threshold.
 */
public final class StoryFingerprint {
    /** Only the beginning of a long text tells its story; a forum thread's hundredth line does not. */
    static final int MAX_CHARS = 400;
    static final int SIGNATURE_BITS = 1024;

    /** The distinct bigrams, each as its two code points in one long (21 bits each: exact, no collisions), sorted. */
    private final long[] bigrams;
    private final long[] signature = new long[SIGNATURE_BITS / 64];
    /** How many bigrams share a signature bit with another of this fingerprint: its size less the bits set. */
    private final int collisions;

    private StoryFingerprint(long[] bigrams) {
        this.bigrams = bigrams;
        for (long bigram : bigrams) {
            int bit = bit(bigram);
            signature[bit >>> 6] |= 1L << bit;
        }
        int set = 0;
        for (long word : signature) {
            set += Long.bitCount(word);
        }
        this.collisions = bigrams.length - set;
    }

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

    /**
     * Whether the two could be at least {@code threshold} similar: false only when they cannot. The bigrams both
     * share sit on signature bits set in both, each bit holding at most one of them plus those that collide with
     * another in the same fingerprint (a subset of either fingerprint collides no more than the whole): so the
     * bits both set, plus the fewer collisions of the two, bound the bigrams shared, and that bounds the similarity.
     */
    public boolean mayReach(StoryFingerprint other, double threshold) {
        int both = 0;
        for (int i = 0; i < signature.length; i++) {
            both += Long.bitCount(signature[i] & other.signature[i]);
        }
        int shared = Math.min(both + Math.min(collisions, other.collisions), Math.min(bigrams.length, other.bigrams.length));
        return jaccard(shared, bigrams.length, other.bigrams.length) >= threshold;
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
        return jaccard(shared, a.length, b.length);
    }

    /** Shared over all: rises with {@code shared}, so a bound on what is shared bounds it. */
    private static double jaccard(int shared, int a, int b) {
        return a == 0 || b == 0 ? 0 : (double) shared / (a + b - shared);
    }

    /** A bigram's signature bit: Fibonacci hashing, the top bits of the product. */
    private static int bit(long bigram) {
        return (int) ((bigram * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(SIGNATURE_BITS)));
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
