package org.opinionwatch.classifier.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeywordAutomatonTest {
    /**
     * "word@end" for each occurrence the automaton reports, end being the index after its last char. The automaton
     * reports no positions, so they are recovered by scanning every prefix: the reports of prefix i beyond those of
     * prefix i - 1 end at i.
     */
    private static List<String> occurrences(List<String> words, String text) {
        KeywordAutomaton automaton = new KeywordAutomaton(words);
        List<String> found = new ArrayList<>();
        for (int i = 1; i <= text.length(); i++) {
            List<Integer> upToHere = new ArrayList<>();
            automaton.scan(text.substring(0, i), upToHere::add);
            List<Integer> upToBefore = new ArrayList<>();
            automaton.scan(text.substring(0, i - 1), upToBefore::add);
            for (int id : upToHere.subList(upToBefore.size(), upToHere.size())) {
                found.add(words.get(id) + "@" + i);
            }
        }
        return found;
    }

    private static List<String> bruteForce(List<String> words, String text) {
        List<String> found = new ArrayList<>();
        for (int end = 1; end <= text.length(); end++) {
            // the automaton reports the longest word ending at a place first, then its suffixes
            List<String> here = new ArrayList<>();
            for (String w : words) {
                if (text.startsWith(w, end - w.length())) {
                    here.add(w);
                }
            }
            here.sort((a, b) -> b.length() - a.length());
            for (String w : here) {
                found.add(w + "@" + end);
            }
        }
        return found;
    }

    @Test
    void overlappingAndNestedWordsAllFound() {
        List<String> words = List.of("食堂", "学校食堂", "校食", "学校", "堂");
        List<Integer> ids = new ArrayList<>();
        new KeywordAutomaton(words).scan("我们学校食堂", ids::add);
        assertEquals(List.of(3, 2, 1, 0, 4), ids, "学校, 校食, then at 堂: 学校食堂, 食堂, 堂");
    }

    @Test
    void classicExample() {
        List<String> words = List.of("he", "she", "his", "hers");
        assertEquals(bruteForce(words, "ushershishe"), occurrences(words, "ushershishe"));
    }

    @Test
    void supplementaryCharacters() {
        List<Integer> ids = new ArrayList<>();
        new KeywordAutomaton(List.of("𠮷野家", "野家")).scan("去𠮷野家吃饭", ids::add);
        assertEquals(List.of(0, 1), ids);
    }

    @Test
    void agreesWithBruteForceOnRandomTexts() {
        // A small alphabet makes overlaps, shared prefixes and failure chains frequent.
        Random random = new Random(4);
        String alphabet = "食堂学校ab";
        for (int round = 0; round < 200; round++) {
            List<String> words = new ArrayList<>();
            int count = 1 + random.nextInt(20);
            while (words.size() < count) {
                String w = randomString(random, alphabet, 1 + random.nextInt(5));
                if (!words.contains(w)) {
                    words.add(w);
                }
            }
            String text = randomString(random, alphabet, random.nextInt(60));
            assertEquals(bruteForce(words, text), occurrences(words, text), () -> words + " in " + text);
        }
    }

    @Test
    void emptyOrDuplicateWordsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new KeywordAutomaton(List.of("食堂", "")));
        assertThrows(IllegalArgumentException.class, () -> new KeywordAutomaton(List.of("食堂", "食堂")));
    }

    @Test
    void noWordsFindsNothing() {
        List<Integer> ids = new ArrayList<>();
        new KeywordAutomaton(List.of()).scan("学校食堂", ids::add);
        assertEquals(List.of(), ids);
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
