package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.runtime.words.Words;

/**
 * The plan's words in the configured language ({@code escalation.locale}: Simplified Chinese by default, or English),
 * from {@code messages_zh.properties} and {@code messages_en.properties} beside this class ({@link Words}).
 */
public final class Texts {
    private final Words words;
    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final DateTimeFormatter stamp;

    /** @param locale {@code zh-CN} or {@code en}, as validated by the config loader */
    public Texts(String locale, ZoneId zone) {
        this.words = Words.of("org.opinionwatch.escalation.plan.messages", locale);
        this.zone = zone;
        this.time = words.times(zone);
        this.stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The text of {@code key} with its arguments filled in. */
    public String t(String key, Object... args) {
        return words.format(key, args);
    }

    public String level(Level level) {
        return t("level." + level.name());
    }

    /** A duty as a person reads it; {@code county} names the body of the duties that report to the county. */
    public String duty(Duty duty, String county, Duration trackingEvery) {
        return switch (duty) {
            case REPORT_TO_COUNTY, DECIDE_REPORT_TO_COUNTY -> t("duty." + duty.key(), county);
            case TRACK_CONTINUOUSLY -> t("duty." + duty.key(), duration(trackingEvery));
            default -> t("duty." + duty.key());
        };
    }

    /** A local time for a deadline: {@code 6月3日 22:30}. */
    public String time(Instant at) {
        return time.format(at);
    }

    /** A local date and time for reports: {@code 2024-06-03 22:30}. */
    public String stamp(Instant at) {
        return stamp.format(at);
    }

    /** A duration for a person: 2小时, 1天, 30分钟; anything odd in ISO-8601. */
    public String duration(Duration d) {
        long seconds = d.getSeconds();
        if (d.getNano() != 0 || seconds <= 0) {
            return d.toString();
        }
        if (seconds % 86_400 == 0 && seconds >= 2 * 86_400 || seconds % 3_600 != 0 && seconds % 86_400 == 0) {
            return t("duration.days", seconds / 86_400);
        }
        if (seconds % 3_600 == 0) {
            return t("duration.hours", seconds / 3_600);
        }
        if (seconds % 60 == 0) {
            return t("duration.minutes", seconds / 60);
        }
        return d.toString();
    }

    /**
     * Why the classifier changed a level, as it wrote it ({@code comments>=100}, {@code a post needs a reply}, ...), in
     * the plan's language; what it does not know stays as written.
     */
    public String reason(String crossed) {
        java.util.regex.Matcher threshold = THRESHOLD.matcher(crossed);
        if (threshold.matches()) {
            return t("reason.threshold." + threshold.group(1), Long.parseLong(threshold.group(2)));
        }
        if (crossed.startsWith("sensitive domain: ")) {
            return t("reason.sensitive", crossed.substring("sensitive domain: ".length()));
        }
        if (crossed.equals("a post needs a reply")) {
            return t("reason.needs-reply");
        }
        if (crossed.startsWith("below ")) {
            return t("reason.below");
        }
        if (crossed.startsWith("quiet for ")) {
            return t("reason.quiet");
        }
        if (crossed.startsWith("joined incident ")) {
            return t("reason.joined");
        }
        java.util.regex.Matcher judged = JUDGED.matcher(crossed);
        if (judged.matches()) {
            String kind = t("judgement." + judged.group(1)) + (judged.group(2) == null ? "" : level(Level.valueOf(judged.group(2))));
            return t("reason.judgement", kind, judged.group(3)) + (judged.group(4) == null ? "" : t("reason.judgement.why", judged.group(4)));
        }
        return crossed;
    }

    /** How the classifier words people's judgement: {@code people's judgement (set-level MAJOR by 王主任): why}. */
    private static final java.util.regex.Pattern JUDGED = java.util.regex.Pattern.compile(
            "people's judgement \\((dismiss|set-level|clear-level|merge)(?: (MINOR|GENERAL|MAJOR|CRITICAL))? by (.+?)\\)(?:: (.*))?", java.util.regex.Pattern.DOTALL);

    private static final java.util.regex.Pattern THRESHOLD = java.util.regex.Pattern.compile("(views|comments|outlets)>=(\\d+)");

    /** The story's name: its title in quotes, or a word for untitled. */
    public String title(PostRef root) {
        return root == null || root.title() == null || root.title().isBlank() ? t("story.untitled") : t("story.title", root.title().strip());
    }

    /**
     * The lines that name the story in every notification about one incident: the level and title, the link, and
     * the counts in the window.
     */
    public String story(Level level, PostRef root, WindowMetrics metrics, Duration window) {
        StringBuilder s = new StringBuilder(t("level.heading", level(level))).append(title(root));
        if (root != null && root.url() != null && !root.url().isBlank()) {
            s.append('\n').append(t("story.link", root.url()));
        }
        if (metrics != null) {
            s.append('\n').append(t("story.metrics", duration(window), metrics.views(), metrics.comments(), metrics.outlets()));
        }
        return s.toString();
    }
}
