package org.opinionwatch.runtime.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.text.Format;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class WordsTest {
    private static final String SAMPLE = "org.opinionwatch.runtime.words.sample";

    /** Every pattern, given numbers of every kind and words, reads as MessageFormat alone writes it. */
    @Test
    void everyPatternReadsAsMessageFormatWritesIt() {
        for (String tag : List.of("zh-CN", "en")) {
            Locale locale = Locale.forLanguageTag(tag);
            ResourceBundle bundle = ResourceBundle.getBundle(SAMPLE, locale);
            Words words = Words.of(SAMPLE, tag);
            for (String key : Collections.list(bundle.getKeys())) {
                if (key.equals("time.format")) {
                    continue;
                }
                MessageFormat plain = new MessageFormat(bundle.getString(key), locale);
                int arguments = plain.getFormatsByArgumentIndex().length;
                for (Object value : List.of(1_234_567L, 1, 0L, 2.5, -3, new BigDecimal("1234.50"), "宿舍停水")) {
                    if (value instanceof String && formatted(plain)) {
                        continue; // a word where a choice or a number format wants a number fails either way
                    }
                    Object[] args = new Object[arguments];
                    for (int i = 0; i < arguments; i++) {
                        args[i] = i % 2 == 0 ? value : 42L; // numbers and words mixed too
                    }
                    assertEquals(plain.format(args), words.format(key, args), tag + " " + key + " with " + value);
                }
            }
        }
    }

    @Test
    void numbersAreWrittenAsTheLanguageWritesThem() {
        assertEquals("in the last 2 hours: 12,345 views, 6,789 comments, 3 outlets",
                Words.of(SAMPLE, "en").format("metrics", "2 hours", 12_345L, 6_789L, 3));
        assertEquals("近2小时内：浏览 12,345，评论 6,789，媒体 3 家",
                Words.of(SAMPLE, "zh-CN").format("metrics", "2小时", 12_345L, 6_789L, 3));
        assertEquals("12,345 and 12345", Words.of(SAMPLE, "en").format("repeated", 12_345L));
        assertEquals("3 posts", Words.of(SAMPLE, "en").format("choice", 3));
    }

    @Test
    void anEntryIsReadAsWrittenOrNamedWhenMissing() {
        Words words = Words.of(SAMPLE, "zh-CN");
        assertEquals("已转交", words.raw("label"));
        assertEquals("M月d日 HH:mm", words.raw("time.format"));
        assertEquals("6月3日 22:00", words.times(java.time.ZoneId.of("Asia/Shanghai")).format(java.time.Instant.parse("2024-06-03T14:00:00Z")));
        assertEquals(Locale.forLanguageTag("zh-CN"), words.locale());
        MissingResourceException missing = assertThrows(MissingResourceException.class, () -> words.format("label.unknown"));
        assertTrue(missing.getMessage().contains("label.unknown"), missing.getMessage());
    }

    /** The configured language or none: never the machine's own language in its place. */
    @Test
    void aLanguageWithoutAFileIsRefused() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.ENGLISH);
        try {
            assertThrows(MissingResourceException.class, () -> Words.of(SAMPLE, "fr"));
        } finally {
            Locale.setDefault(before);
        }
    }

    private static boolean formatted(MessageFormat format) {
        for (Format f : format.getFormatsByArgumentIndex()) {
            if (f != null) {
                return true;
            }
        }
        return false;
    }
}
