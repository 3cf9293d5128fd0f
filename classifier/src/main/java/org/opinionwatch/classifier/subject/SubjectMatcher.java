package org.opinionwatch.classifier.subject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Post;

/**
 * Decides which monitored subject a post belongs to: the first subject, in configured order, that matches the post's
 * title or text. A subject matches when one of its keywords occurs (if it has keywords), at least one word of every
 * all-of group occurs, and none of its exclusions occurs; a catch-all subject matches every post its exclusions (if
 * any) do not rule out. A subject that is not catch-all and has neither keywords nor all-of groups matches nothing,
 * rather than everything.
 *
 * <p>Words and posts are compared after {@link TextNormalizer}, so script (Traditional or Simplified), width, case
 * and spacing do not matter. All words of all subjects go into one {@link KeywordAutomaton}: a post is read once,
 * whatever the number of keywords, and only the subjects that a found keyword points to (plus those without keywords)
 * are then checked, so the cost per post follows the words found, not the words configured. Title and text are read
 * separately so that no word is found across the join of the two.
 */
public final class SubjectMatcher {
    private final KeywordAutomaton automaton;
    private final int wordCount;
    private final List<CompiledSubject> subjects;
    /** For each word id, the indexes of the subjects that have it as a keyword. */
    private final int[][] subjectsByKeyword;
    /** Subjects that can match without a keyword: catch-all ones and those with only all-of groups. */
    private final BitSet keywordless = new BitSet();

    public SubjectMatcher(List<Subject> subjects) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<CompiledSubject> compiled = new ArrayList<>(subjects.size());
        for (Subject s : subjects) {
            int[][] allOf = s.allOf().stream().map(group -> idsOf(group, ids)).toArray(int[][]::new);
            compiled.add(new CompiledSubject(s.id(), s.catchAll(), idsOf(s.keywords(), ids), idsOf(s.exclude(), ids), allOf));
        }
        this.automaton = new KeywordAutomaton(List.copyOf(ids.keySet()));
        this.wordCount = ids.size();
        this.subjects = List.copyOf(compiled);

        List<List<Integer>> byKeyword = new ArrayList<>();
        ids.forEach((word, id) -> byKeyword.add(new ArrayList<>()));
        for (int s = 0; s < compiled.size(); s++) {
            for (int word : compiled.get(s).keywords()) {
                byKeyword.get(word).add(s);
            }
            if (compiled.get(s).keywords().length == 0) {
                keywordless.set(s);
            }
        }
        this.subjectsByKeyword = byKeyword.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    public Optional<String> match(Post post) {
        BitSet found = new BitSet(wordCount);
        automaton.scan(TextNormalizer.normalize(post.title()), found::set);
        automaton.scan(TextNormalizer.normalize(post.text()), found::set);
        BitSet candidates = (BitSet) keywordless.clone();
        for (int word = found.nextSetBit(0); word >= 0; word = found.nextSetBit(word + 1)) {
            for (int s : subjectsByKeyword[word]) {
                candidates.set(s);
            }
        }
        // BitSet order is configured order, so the first candidate that matches is the first subject that matches.
        for (int s = candidates.nextSetBit(0); s >= 0; s = candidates.nextSetBit(s + 1)) {
            if (subjects.get(s).matches(found)) {
                return Optional.of(subjects.get(s).id());
            }
        }
        return Optional.empty();
    }

    /** The automaton's ids of {@code words}, normalized; a word shared by several subjects gets one id. */
    private static int[] idsOf(List<String> words, Map<String, Integer> ids) {
        return words.stream()
                .map(TextNormalizer::normalize)
                .filter(w -> !w.isEmpty())
                .distinct()
                .mapToInt(w -> ids.computeIfAbsent(w, k -> ids.size()))
                .toArray();
    }

    private record CompiledSubject(String id, boolean catchAll, int[] keywords, int[] exclude, int[][] allOf) {
        boolean matches(BitSet found) {
            if (anyFound(exclude, found)) {
                return false;
            }
            if (catchAll) {
                return true;
            }
            if (keywords.length == 0 && allOf.length == 0) {
                return false; // nothing to look for: matching everything is what catch-all says
            }
            if (keywords.length > 0 && !anyFound(keywords, found)) {
                return false;
            }
            for (int[] group : allOf) {
                if (!anyFound(group, found)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean anyFound(int[] words, BitSet found) {
            for (int w : words) {
                if (found.get(w)) {
                    return true;
                }
            }
            return false;
        }
    }
}
