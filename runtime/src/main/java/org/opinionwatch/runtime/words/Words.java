package org.opinionwatch.runtime.words;

import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One language's words for people: a JDK resource bundle of {@link MessageFormat} patterns ({@code name_zh.properties},
 * {@code name_en.properties} beside the class that reads them), so that a wording is changed in one file without
 * touching code. The plan's texts, the notifier's frame, the action pages and the replay's report each keep a bundle of
 * their own and read it through this. Safe to share between threads.
 */
public final class Words {
    private final ResourceBundle bundle;
    private final Locale locale;
    /** Each pattern parsed once: parsing costs more than formatting, and the escalation writes texts at every step. */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    private Words(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /**
     * @param baseName the bundle's base name, as {@link ResourceBundle#getBundle(String)} takes it
     * @param language {@code zh-CN} or {@code en}, as the config loader validated {@code escalation.locale}
     * @throws MissingResourceException if the bundle has no file for that language
     */
    public static Words of(String baseName, String language) {
        Locale locale = Locale.forLanguageTag(language);
        // Without a fallback to the JVM's default locale: the configured language, whatever the machine's.
        return new Words(ResourceBundle.getBundle(baseName, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)), locale);
    }

    public Locale locale() {
        return locale;
    }

    /**
     * The entry of {@code key} as written, not a pattern: a label, or a format of times.
     *
     * @throws MissingResourceException if there is none
     */
    public String raw(String key) {
        return bundle.getString(key);
    }

    /**
     * Instants as people read them in this language, in {@code zone}: the bundle's {@code time.format}.
     *
     * @throws MissingResourceException if the bundle has none
     */
    public DateTimeFormatter times(ZoneId zone) {
        return DateTimeFormatter.ofPattern(raw("time.format"), locale).withZone(zone);
    }

    /**
     * The pattern of {@code key} with its arguments filled in, as {@link MessageFormat} writes it.
     *
     * @throws MissingResourceException if there is none
     */
    public String format(String key, Object... args) {
        Parsed p = parsed.computeIfAbsent(key, k -> new Parsed(bundle.getString(k), locale));
        synchronized (p) { // a MessageFormat is not safe to share, and pages are made on other threads
            return p.format(args);
        }
    }

    /**
     * A pattern parsed, and a number format for its arguments written bare ({@code {1}}): given a number there,
     * MessageFormat makes a new NumberFormat each time, which costs more than the rest of the text. This one formats
     * them as that would, so the text is the same.
     */
    private static final class Parsed {
        private final MessageFormat format;
        private final NumberFormat numbers;
        /** By argument index: written bare wherever it appears, not as {@code {0,choice,...}} or another format. */
        private final boolean[] bare;

        Parsed(String pattern, Locale locale) {
            this.format = new MessageFormat(pattern, locale);
            this.numbers = NumberFormat.getInstance(locale);
            Format[] byArgument = format.getFormatsByArgumentIndex();
            this.bare = new boolean[byArgument.length];
            for (int i = 0; i < bare.length; i++) {
                bare[i] = byArgument[i] == null && !Pattern.compile("\\{\\s*" + i + "\\s*,").matcher(pattern).find();
            }
        }

        String format(Object[] args) {
            Object[] given = args;
            for (int i = 0; i < Math.min(args.length, bare.length); i++) {
                if (bare[i] && args[i] instanceof Number n) {
                    given = given == args ? args.clone() : given;
                    given[i] = numbers.format(n);
                }
            }
            return format.format(given);
        }
    }
}
