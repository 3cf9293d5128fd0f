package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class TextsTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Every text of both languages, given numbers (large, one, none) and words, reads as MessageFormat alone writes it. */
    @Test
    void everyTextReadsAsMessageFormatWritesIt() {
        for (String tag : List.of("zh-CN", "en")) {
            Locale locale = Locale.forLanguageTag(tag);
            ResourceBundle bundle = ResourceBundle.getBundle("org.opinionwatch.escalation.plan.messages", locale,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            Texts texts = new Texts(tag, ZONE);
            int numbered = 0;
            for (String key : Collections.list(bundle.getKeys())) {
                MessageFormat plain = new MessageFormat(bundle.getString(key), locale);
                int arguments = plain.getFormatsByArgumentIndex().length;
                numbered += arguments > 0 ? 1 : 0;
                for (Object value : List.of(1_234_567L, 1, 0L, 2.5, "宿舍停水")) {
                    Object[] args = new Object[arguments];
                    for (int i = 0; i < arguments; i++) {
                        args[i] = value instanceof String ? value : i % 2 == 0 ? value : 42L; // numbers and words mixed too
                    }
                    if (!(value instanceof String && choiceOf(plain))) { // a word where a choice wants a number fails either way
                        assertEquals(plain.format(args), texts.t(key, args), tag + " " + key + " with " + value);
                    }
                }
            }
            assertTrue(numbered > 30, tag + ": texts with arguments, " + numbered);
        }
    }

    @Test
    void numbersAreGroupedAsTheLanguageWritesThem() {
        assertEquals("2天", new Texts("zh-CN", ZONE).t("duration.days", 2L));
        assertEquals("1 day", new Texts("en", ZONE).t("duration.days", 1L));
        assertEquals("3 days", new Texts("en", ZONE).t("duration.days", 3L));
        String metrics = new Texts("en", ZONE).t("story.metrics", "2 hours", 12_345L, 6_789L, 3L);
        assertTrue(metrics.contains("12,345") && metrics.contains("6,789"), metrics);
    }

    private static boolean choiceOf(MessageFormat format) {
        for (java.text.Format f : format.getFormatsByArgumentIndex()) {
            if (f instanceof java.text.ChoiceFormat) {
                return true;
            }
        }
        return false;
    }
}
