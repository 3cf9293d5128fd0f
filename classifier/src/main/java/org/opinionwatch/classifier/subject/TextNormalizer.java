package org.opinionwatch.classifier.subject;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings text to one canonical form so that staff-configured keywords match posts however either was typed:
 * <ul>
 *   <li>full- and half-width forms alike (Unicode NFKC: {@code ＡＢＣ１２３} is {@code ABC123}, the ideographic space
 *       {@code U+3000} is a space, compatibility ideographs are their unified characters);</li>
 *   <li>Traditional and Simplified Chinese alike ({@code 學校食堂} is {@code 学校食堂});</li>
 *   <li>case ignored ({@code CANTEEN} is {@code canteen});</li>
 *   <li>whitespace: a run of it is one space, and none is kept next to a Chinese character, so {@code 食 堂} is
 *       {@code 食堂} and {@code iPhone 手机} is {@code iphone手机}; Chinese is written without spaces, so a space there
 *       is typing noise or a deliberate attempt to dodge keyword filters;</li>
 *   <li>invisible format characters (zero-width space and joiners, soft hyphen, BOM) dropped, for the same reason;</li>
 *   <li>punctuation variants alike: Chinese and typographic quotes, brackets, dashes and full stops become their
 *       ASCII counterparts.</li>
 * </ul>
 * Normalization runs on every post, so it is one pass over the text after NFKC, with table lookups only.
 * Normalizing normalized text changes nothing.
 */
public final class TextNormalizer {
    private TextNormalizer() {
    }

    /**
     * Builds the Traditional → Simplified map now, on a thread of its own, and returns at once: a stage that is
     * starting calls this, so that its first task does not spend a quarter of a second on it before its first record.
     */
    public static void prepare() {
        Thread building = new Thread(() -> TraditionalToSimplified.map('a'), "text-normalizer-map");
        building.setDaemon(true);
        building.start();
    }

    public static String normalize(String text) {
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        boolean pendingSpace = false;
        boolean lastIdeographic = false;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = true;
                continue;
            }
            if (Character.getType(cp) == Character.FORMAT) {
                continue;
            }
            cp = Character.toLowerCase(TraditionalToSimplified.map(unifyPunctuation(cp)));
            boolean ideographic = Character.isIdeographic(cp);
            if (pendingSpace && out.length() > 0 && !ideographic && !lastIdeographic) {
                out.append(' ');
            }
            pendingSpace = false;
            out.appendCodePoint(cp);
            lastIdeographic = ideographic;
        }
        return out.toString();
    }

    /** Punctuation that NFKC leaves apart although writers use the forms interchangeably. */
    private static int unifyPunctuation(int cp) {
        return switch (cp) {
            case '。' -> '.';
            case '、' -> ',';
            case '“', '”', '„', '‟', '「', '」', '『', '』', '〝', '〞', '〟' -> '"';
            case '‘', '’', '‚', '‛' -> '\'';
            case '《', '〈', '«', '‹' -> '<';
            case '》', '〉', '»', '›' -> '>';
            case '【', '〔', '〖', '〘' -> '[';
            case '】', '〕', '〗', '〙' -> ']';
            case '‐', '‒', '–', '—', '―', '−' -> '-';
            case '〜' -> '~';
            case '・', '‧', '∙', '⋅' -> '·';
            default -> cp;
        };
    }

    /**
     * The Traditional → Simplified character map, derived once from ICU's transform and then looked up per character,
     * because running the ICU transliterator itself on every post would be far slower. Per character on purpose: ICU
     * also has a few phrase rules (著名 stays 著名, a lone 著 becomes 着), and a keyword must map the same alone as
     * inside a post. Built once per JVM, in a few hundred milliseconds: on first use, or earlier by {@link #prepare}.
     */
    private static final class TraditionalToSimplified {
        /** Target of each BMP code point, itself where there is no mapping. */
        private static final int[] BMP = new int[Character.MAX_VALUE + 1];
        /** The few supplementary-plane Traditional characters that have a Simplified form. */
        private static final Map<Integer, Integer> SUPPLEMENTARY = new HashMap<>();

        static {
            Arrays.setAll(BMP, cp -> cp);
            Map<Integer, Integer> icuMap = new HashMap<>();
            Transliterator icu = Transliterator.getInstance("Traditional-Simplified");
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (!Character.isIdeographic(cp)) {
                    continue;
                }
                String source = Character.toString(cp);
                String target = icu.transliterate(source);
                // One character to one character only: ICU's character-level table has no other kind, and a
                // multi-character replacement could not be looked up per character.
                if (!target.equals(source) && target.codePointCount(0, target.length()) == 1) {
                    icuMap.put(cp, target.codePointAt(0));
                }
            }
            icuMap.keySet().forEach(cp -> put(cp, finalTarget(cp, icuMap)));
        }

        /**
         * Where following the map from {@code cp} ends, so that normalizing twice changes nothing: a few targets are
         * themselves mapped, and ICU even maps 苎 to 苧 and 苧 to 苎; a loop like that ends at its lowest code point.
         */
        private static int finalTarget(int cp, Map<Integer, Integer> icuMap) {
            List<Integer> path = new ArrayList<>();
            int current = cp;
            while (icuMap.containsKey(current) && !path.contains(current)) {
                path.add(current);
                current = icuMap.get(current);
            }
            int loopStart = path.indexOf(current);
            return loopStart < 0 ? current : Collections.min(path.subList(loopStart, path.size()));
        }

        private static void put(int from, int to) {
            if (from <= Character.MAX_VALUE) {
                BMP[from] = to;
            } else {
                SUPPLEMENTARY.put(from, to);
            }
        }

        static int map(int cp) {
            return cp <= Character.MAX_VALUE ? BMP[cp] : SUPPLEMENTARY.getOrDefault(cp, cp);
        }
    }
}
