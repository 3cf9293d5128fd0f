package org.opinionwatch.notifier.render;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.MissingResourceException;
import org.opinionwatch.runtime.words.Words;

/**
 * The notifier's own words around the plan's text, in the plan's language ({@code escalation.locale}):
 * {@code frame_zh.properties} and {@code frame_en.properties} beside this class ({@link Words}), as the escalation
 * stage keeps its texts. A template library would add little: the messages are short lists of lines, each channel
 * escapes them its own way, and the wordings stay in one file per language either way.
 */
public final class Frame {
    private final Words words;
    private final String lang;
    private final DateTimeFormatter time;

    /** @param lang {@code zh-CN} or {@code en}, as the config loader validated {@code escalation.locale} */
    public Frame(String lang, ZoneId zone) {
        this.lang = lang;
        this.words = Words.of("org.opinionwatch.notifier.render.frame", lang);
        this.time = words.times(zone);
    }

    /** {@code zh-CN} or {@code en}. */
    public String lang() {
        return lang;
    }

    public String t(String key, Object... args) {
        return words.format(key, args);
    }

    /** A local time in the plan's zone: {@code 6月3日 22:30}. */
    public String time(Instant at) {
        return time.format(at);
    }

    /** The label of an action link: the duty done ({@code 已转交}), or {@code 不相关}. */
    public String label(String action) {
        if (action.equals(org.opinionwatch.contract.link.ActionLink.DISMISS)) {
            return t("action.dismiss");
        }
        try {
            return words.raw("label." + action);
        } catch (MissingResourceException e) {
            return t("action.done"); // a duty of a later release: still recorded, under a plain label
        }
    }
}
