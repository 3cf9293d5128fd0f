package org.opinionwatch.classifier.subject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * An Aho–Corasick automaton: finds every occurrence of any of a fixed set of words in one pass over a text, in time
 * proportional to the text's length plus the number of occurrences, however many words there are.
 *
 * <p>It works on UTF-16 chars, which is exact for supplementary characters too (their surrogate pairs never match
 * half a character). Words and texts are compared as given: normalize both alike beforehand
 * ({@link TextNormalizer}). Immutable and safe to share between threads once built.
 */
public final class KeywordAutomaton {
    private static final int ROOT = 0;
    private static final int NONE = -1;

    // Transitions of state s: labels[first[s] .. first[s + 1]) sorted, to targets[...] at the same index. A flat,
    // sorted layout rather than a map per state: compact, and a binary search over a state's few labels is fast.
    private final int[] first;
    private final char[] labels;
    private final int[] targets;
    /** Longest proper suffix of the state's string that is also a state; where to go when no transition fits. */
    private final int[] fail;
    /** The word the state completes, or {@link #NONE}. */
    private final int[] word;
    /** Nearest state along the fail chain that completes a word, or {@link #ROOT}: shorter words ending here too. */
    private final int[] nextWordSuffix;

    /**
     * @param words the words to find, each non-empty and distinct; a word's id is its index in this list
     */
    public KeywordAutomaton(List<String> words) {
        List<TreeMap<Character, Integer>> children = new ArrayList<>();
        List<Integer> wordOf = new ArrayList<>();
        children.add(new TreeMap<>());
        wordOf.add(NONE);
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < words.size(); id++) {
            String w = words.get(id);
            if (w.isEmpty() || !seen.add(w)) {
                throw new IllegalArgumentException("words must be non-empty and distinct: '" + w + "' at " + id);
            }
            int state = ROOT;
            for (int i = 0; i < w.length(); i++) {
                Integer next = children.get(state).get(w.charAt(i));
                if (next == null) {
                    next = children.size();
                    children.get(state).put(w.charAt(i), next);
                    children.add(new TreeMap<>());
                    wordOf.add(NONE);
                }
                state = next;
            }
            wordOf.set(state, id);
        }

        int states = children.size();
        first = new int[states + 1];
        labels = new char[states - 1];
        targets = new int[states - 1];
        word = new int[states];
        for (int s = 0, edge = 0; s < states; s++) {
            first[s] = edge;
            word[s] = wordOf.get(s);
            for (Map.Entry<Character, Integer> e : children.get(s).entrySet()) {
                labels[edge] = e.getKey();
                targets[edge++] = e.getValue();
            }
        }
        first[states] = states - 1;

        // Fail links breadth first: a state's fail target is shorter, so it is always computed before the state.
        fail = new int[states];
        nextWordSuffix = new int[states];
        Queue<Integer> queue = new ArrayDeque<>();
        for (int e = first[ROOT]; e < first[ROOT + 1]; e++) {
            queue.add(targets[e]);
        }
        while (!queue.isEmpty()) {
            int s = queue.remove();
            for (int e = first[s]; e < first[s + 1]; e++) {
                int child = targets[e];
                int f = fail[s];
                int t;
                while ((t = step(f, labels[e])) == NONE && f != ROOT) {
                    f = fail[f];
                }
                fail[child] = t == NONE ? ROOT : t;
                nextWordSuffix[child] = word[fail[child]] != NONE ? fail[child] : nextWordSuffix[fail[child]];
                queue.add(child);
            }
        }
    }

    /** Calls {@code onWord} with the id of each word at each place it occurs in {@code text}, in order of the place it ends. */
    public void scan(CharSequence text, IntConsumer onWord) {
        int state = ROOT;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int next;
            while ((next = step(state, c)) == NONE && state != ROOT) {
                state = fail[state];
            }
            state = next == NONE ? ROOT : next;
            for (int s = word[state] != NONE ? state : nextWordSuffix[state]; s != ROOT; s = nextWordSuffix[s]) {
                onWord.accept(word[s]);
            }
        }
    }

    private int step(int state, char c) {
        int lo = first[state];
        int hi = first[state + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char label = labels[mid];
            if (label < c) {
                lo = mid + 1;
            } else if (label > c) {
                hi = mid - 1;
            } else {
                return targets[mid];
            }
        }
        return NONE;
    }
}
