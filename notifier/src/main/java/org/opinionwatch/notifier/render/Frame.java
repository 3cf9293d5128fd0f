package org.opinionwatch.notifier.render;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The notifier's own words around the plan's text, in the plan's language ({@code escalation.locale}): the JDK's
 * resource bundles {@code frame_zh.properties} and {@code frame_en.properties} beside this class, as the escalation
 * stage keeps its texts. A template library would add little: the messages are short lists of lines, each channel
 * escapes them its own way, and the wordings stay in one file per language either way.
 */
public final class Frame {
    private final ResourceBundle bundle;
    private final Locale locale;
    private final String lang;
    private final DateTimeFormatter time;

    /** @param lang {@code zh-CN} or {@code en}, as the config loader validated {@code escalation.locale} */
    public Frame(String lang, ZoneId zone) {
        this.lang = lang;
        this.locale = Locale.forLanguageTag(lang);
        this.bundle = ResourceBundle.getBundle("org.opinionwatch.notifier.render.frame", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        this.time = DateTimeFormatter.ofPattern(bundle.getString("time.format"), locale).withZone(zone);
    }

    /** {@code zh-CN} or {@code en}. */
    public String lang() {
        return lang;
    }

    public String t(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
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
            return bundle.getString("label." + action);
        } catch (MissingResourceException e) {
            return t("action.done"); // a duty of a later release: still recorded, under a plain label
        }
    }
}
