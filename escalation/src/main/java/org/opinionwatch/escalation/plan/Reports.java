package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * The plan's written reports, in Markdown and in the plan's language: the bulletin (网络舆情通报), the review
 * (总结评估), the digest of what quiet hours held, and the daily report (舆情日报). Plain text from plain data, so that
 * a person reads the same thing in a chat, a mail or a file.
 */
public final class Reports {
    /**
     * Incidents the daily report lists in each of its parts, highest levels first: a day of thousands would make a
     * report nobody reads, and one too large to send.
     */
    static final int DAILY_LINES = 200;
    private final Texts texts;
    private final OpinionWatchConfig.Escalation settings;
    private final ZoneId zone;
    /**
     * The last report found and the earliest instant it was asked for: every instant from there up to it has that
     * report next. Asked at every checkpoint of a case, the zone's rules are consulted once per report instead.
     */
    private volatile Next last = new Next(Instant.MAX, Instant.MIN);

    private record Next(Instant askedFrom, Instant report) {
    }

    public Reports(Texts texts, OpinionWatchConfig.Escalation settings) {
        this.texts = texts;
        this.settings = settings;
        this.zone = ZoneId.of(settings.zone());
    }

    /** The first daily report after {@code after}: the configured time of day, on a working day if so configured. */
    public Instant nextReport(Instant after) {
        Next known = last;
        if (!after.isBefore(known.askedFrom()) && after.isBefore(known.report())) {
            return known.report();
        }
        LocalTime at = settings.dailyReport().at();
        ZonedDateTime t = after.atZone(zone).toLocalDate().atTime(at).atZone(zone);
        while (!t.toInstant().isAfter(after) || settings.dailyReport().workingDaysOnly() && t.getDayOfWeek().getValue() >= 6) {
            t = t.toLocalDate().plusDays(1).atTime(at).atZone(zone);
        }
        last = new Next(after, t.toInstant());
        return t.toInstant();
    }

    /** The daily report that covers what happened at {@code at}: the first at or after it. */
    public Instant reportCovering(Instant at) {
        return nextReport(at.minusMillis(1));
    }

    /** A line of an incident's timeline. */
    public record Line(Instant at, String what) {
    }

    /**
     * One incident as the daily report shows it: its level, and its counts, trend and forecast as its last checkpoint,
     * forecast or level change left them.
     *
     * @param trend null before the first checkpoint of its tracking round
     * @param forecast the classifier's forecast at its present level, or null
     */
    public record DayLine(String incidentId, PostRef rootPost, Level level, WindowMetrics metrics, TrackingCheckpoint.Trend trend,
                          Case.Forecast forecast, boolean changedToday) {
    }

    /** A bulletin, or the closing one: the counts now and since the last, and the duties still open. */
    public String bulletin(int sequence, boolean closing, PostRef root, Level level, Instant at, Duration window, WindowMetrics now,
                           WindowMetrics change, List<Case.DutyState> open) {
        StringBuilder md = new StringBuilder();
        md.append(closing ? texts.t("report.closing.title", texts.title(root)) : texts.t("report.bulletin.title", sequence, texts.title(root)))
                .append("\n\n");
        if (root != null && root.url() != null) {
            md.append(texts.t("report.review.link", root.url())).append('\n');
        }
        md.append(texts.t("report.level", texts.level(level))).append('\n');
        md.append(texts.t("report.as-of", texts.stamp(at), texts.zone())).append('\n');
        md.append(texts.t("report.window", texts.duration(window), now.views(), now.comments(), now.outlets(),
                signed(change.views()), signed(change.comments()), signed(change.outlets()))).append("\n\n");
        md.append(texts.t("report.open")).append("\n\n");
        if (open.isEmpty()) {
            md.append(texts.t("report.none")).append('\n');
        }
        for (Case.DutyState d : open) {
            md.append(texts.t("report.open.item", duty(d.duty()), settings.nameOf(d.role()), d.due() == null ? "—" : texts.stamp(d.due()),
                    d.due() != null && d.due().isBefore(at) ? texts.t("report.overdue") : "")).append('\n');
        }
        return md.toString();
    }

    /** The review: the response times against the deadlines, the timeline, and room for what to change. */
    public String review(Case c, Instant subsidedAt) {
        StringBuilder md = new StringBuilder();
        md.append(texts.t("report.review.title", texts.title(c.rootPost()))).append("\n\n");
        if (c.rootPost() != null && c.rootPost().url() != null) {
            md.append(texts.t("report.review.link", c.rootPost().url())).append('\n');
        }
        md.append(texts.t("report.review.peak", texts.level(c.peak()))).append('\n');
        md.append(texts.t("report.review.subsided", texts.stamp(subsidedAt), texts.zone())).append("\n\n");
        md.append(texts.t("report.review.times")).append("\n\n").append(texts.t("report.review.header")).append("\n|---|---|---|---|---|---|---|\n");
        c.duties().stream().filter(d -> d.due() != null && d.given() != null)
                .sorted(Comparator.comparing(Case.DutyState::given).thenComparing(Case.DutyState::duty))
                .forEach(d -> md.append("| ").append(duty(d.duty())).append(" | ").append(settings.nameOf(d.role())).append(" | ")
                        .append(texts.stamp(d.given())).append(" | ").append(texts.stamp(d.due())).append(" | ")
                        .append(d.closedAt() == null || d.state() != Case.DutyState.State.DONE ? "—" : texts.stamp(d.closedAt()))
                        .append(" | ").append(d.by() == null ? "—" : d.by()).append(" | ").append(verdict(d)).append(" |\n"));
        md.append('\n').append(texts.t("report.review.timeline")).append("\n\n");
        c.timeline().forEach(l -> md.append("- ").append(texts.stamp(l.at())).append(": ").append(l.what()).append('\n'));
        md.append('\n').append(texts.t("report.review.change")).append("\n\n").append(texts.t("report.review.change.text")).append('\n');
        return md.toString();
    }

    /** What a role's quiet hours held, each notification's text under the story it is about. */
    public String digest(Instant from, Instant to, List<Notification> held) {
        StringBuilder md = new StringBuilder(texts.t("report.digest.title", texts.stamp(from), texts.stamp(to))).append("\n\n");
        for (Notification n : held) {
            md.append(texts.t("report.digest.item", texts.stamp(n.at()))).append("\n\n").append(n.instructions()).append("\n\n");
            if (n.report() != null) {
                md.append(n.report().replaceAll("(?m)^#", "###")).append('\n');
            }
        }
        return md.toString();
    }

    /** The daily report: the day's minor incidents to tell the departments of, then the open and changed ones. */
    public String daily(LocalDate day, List<DayLine> incidents, List<DayLine> minor) {
        StringBuilder md = new StringBuilder(texts.t("report.daily.title", day)).append("\n\n");
        md.append(texts.t("report.daily.summary", incidents.stream().filter(DayLine::changedToday).count(),
                incidents.stream().filter(l -> l.level() != Level.NONE).count())).append("\n\n");
        if (!minor.isEmpty()) {
            md.append(texts.t("report.daily.minor")).append("\n\n");
            minor.stream().limit(DAILY_LINES)
                    .forEach(l -> md.append(texts.t("report.daily.item", title(l.rootPost()), link(l.rootPost()))).append('\n'));
            if (minor.size() > DAILY_LINES) {
                md.append(texts.t("report.daily.more", minor.size() - DAILY_LINES)).append('\n');
            }
            md.append('\n');
        }
        md.append(texts.t("report.daily.all")).append("\n\n").append(texts.t("report.daily.header")).append("\n|---|---|---|---|---|---|---|---|\n");
        incidents.stream()
                .sorted(Comparator.comparing(DayLine::level).reversed().thenComparing(DayLine::incidentId))
                .limit(DAILY_LINES)
                .forEach(l -> md.append("| ").append(title(l.rootPost())).append(' ').append(link(l.rootPost())).append(" | ")
                        .append(texts.level(l.level())).append(" | ").append(l.metrics().views()).append(" | ")
                        .append(l.metrics().comments()).append(" | ").append(l.metrics().outlets()).append(" | ")
                        .append(l.trend() == null ? "" : texts.t("trend." + l.trend().name())).append(" | ")
                        .append(l.forecast() == null ? "" : texts.t("report.daily.forecast", texts.time(l.forecast().expectedAt()),
                                texts.level(l.forecast().next()))).append(" | ")
                        .append(l.changedToday() ? texts.t("report.daily.changed") : "").append(" |\n"));
        if (incidents.size() > DAILY_LINES) {
            md.append('\n').append(texts.t("report.daily.more", incidents.size() - DAILY_LINES)).append('\n');
        }
        return md.toString();
    }

    /** On time, late by how much, superseded, or not done. */
    String verdict(Case.DutyState d) {
        if (d.state() == Case.DutyState.State.SUPERSEDED) {
            return texts.t("verdict.superseded");
        }
        if (d.state() != Case.DutyState.State.DONE || d.closedAt() == null) {
            return texts.t("verdict.not-done");
        }
        if (!d.closedAt().isAfter(d.due())) {
            return texts.t("verdict.on-time");
        }
        return texts.t("verdict.late", texts.duration(Duration.ofMinutes(Math.max(1, Duration.between(d.due(), d.closedAt()).toMinutes()))));
    }

    private String duty(String key) {
        return Duty.of(key).map(d -> texts.duty(d, settings.reporting().county(), settings.trackingEvery())).orElse(key);
    }

    private String title(PostRef root) {
        return texts.title(root).replace("|", "/");
    }

    private static String link(PostRef root) {
        return root == null || root.url() == null ? "" : root.url();
    }

    private static String signed(long n) {
        return String.format("%+d", n);
    }
}
