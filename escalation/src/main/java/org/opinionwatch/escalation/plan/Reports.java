package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * The plan's written reports, in Markdown: the bulletin (网络舆情通报), the daily report (舆情日报) and the review
 * (总结评估). Plain text from plain data, so that a person reads the same thing in a chat, a mail or a file.
 */
public final class Reports {
    /** Incidents the daily report lists, highest levels first: a day of thousands would make a report nobody reads, and too large to send. */
    static final int DAILY_LINES = 200;
    private final ZoneId zone;
    private final DateTimeFormatter time;

    public Reports(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    }

    /** A line of an incident's timeline. */
    public record Line(Instant at, String what) {
    }

    /**
     * A duty with a deadline and what became of it.
     *
     * @param doneAt when an action fulfilled it, or null while it is not done
     */
    public record Outcome(String duty, Role role, Instant entered, Instant due, Instant doneAt, String by) {
        public Outcome done(Instant at, String person) {
            return new Outcome(duty, role, entered, due, at, person);
        }
    }

    /** One incident as the daily report shows it. */
    public record DayLine(String incidentId, String subject, Level level, WindowMetrics metrics, boolean changedToday) {
    }

    public String bulletin(String subject, Level level, int sequence, Instant at, WindowMetrics now, WindowMetrics change,
                           List<Outcome> open) {
        StringBuilder md = new StringBuilder();
        md.append("# 网络舆情通报 No. ").append(sequence).append(": ").append(subject).append("\n\n");
        md.append("- Level: ").append(ResponsePlan.term(level)).append("\n");
        md.append("- As of: ").append(time.format(at)).append(" (").append(zone).append(")\n");
        md.append("- Last 24 h: ").append(metrics(now)).append("; since the last bulletin: ").append(signed(change)).append("\n\n");
        md.append("## Open duties\n\n");
        if (open.isEmpty()) {
            md.append("None.\n");
        }
        for (Outcome o : open) {
            md.append("- ").append(o.duty()).append(" (").append(o.role()).append("), due ").append(time.format(o.due()))
                    .append(o.due().isBefore(at) ? ": **overdue**" : "").append("\n");
        }
        return md.toString();
    }

    public String review(String incidentId, String subject, Level peak, Instant subsidedAt, List<Line> timeline, List<Outcome> outcomes) {
        StringBuilder md = new StringBuilder();
        md.append("# 总结评估 (review): ").append(subject).append("\n\n");
        md.append("- Incident: `").append(incidentId).append("`\n");
        md.append("- Highest level: ").append(ResponsePlan.term(peak)).append("\n");
        md.append("- Subsided: ").append(time.format(subsidedAt)).append(" (").append(zone).append(")\n\n");
        md.append("## Response times against the deadlines\n\n| duty | role | entered | due | done | by | verdict |\n|---|---|---|---|---|---|---|\n");
        outcomes.stream().sorted(Comparator.comparing(Outcome::entered).thenComparing(Outcome::duty)).forEach(o -> md.append("| ")
                .append(o.duty()).append(" | ").append(o.role()).append(" | ").append(time.format(o.entered())).append(" | ")
                .append(time.format(o.due())).append(" | ").append(o.doneAt() == null ? "—" : time.format(o.doneAt())).append(" | ")
                .append(o.by() == null ? "—" : o.by()).append(" | ").append(verdict(o)).append(" |\n"));
        md.append("\n## Timeline\n\n");
        timeline.forEach(l -> md.append("- ").append(time.format(l.at())).append(": ").append(l.what()).append("\n"));
        md.append("\n## What to change\n\nTo be written by the office: what worked, what was late and why, what the plan should change.\n");
        return md.toString();
    }

    public String daily(LocalDate day, List<DayLine> incidents) {
        StringBuilder md = new StringBuilder();
        md.append("# 舆情日报 (daily report) ").append(day).append("\n\n");
        List<DayLine> today = incidents.stream().filter(DayLine::changedToday).toList();
        md.append(today.size()).append(" incident(s) changed level today; ")
                .append(incidents.stream().filter(l -> l.level() != Level.NONE).count()).append(" open.\n\n");
        md.append("| incident | subject | level | views | comments | outlets | today |\n|---|---|---|---|---|---|---|\n");
        incidents.stream()
                .sorted(Comparator.comparing(DayLine::level).reversed().thenComparing(DayLine::incidentId))
                .limit(DAILY_LINES)
                .forEach(l -> md.append("| `").append(l.incidentId()).append("` | ").append(l.subject()).append(" | ")
                        .append(ResponsePlan.term(l.level())).append(" | ").append(l.metrics().views()).append(" | ")
                        .append(l.metrics().comments()).append(" | ").append(l.metrics().outlets()).append(" | ")
                        .append(l.changedToday() ? "changed" : "").append(" |\n"));
        if (incidents.size() > DAILY_LINES) {
            md.append("\n").append(incidents.size() - DAILY_LINES).append(" more incidents are not listed: see the dashboard.\n");
        }
        return md.toString();
    }

    /** On time, late by how much, or not done. */
    static String verdict(Outcome o) {
        if (o.doneAt() == null) {
            return "not done";
        }
        if (!o.doneAt().isAfter(o.due())) {
            return "on time";
        }
        return "late by " + ResponsePlan.human(Duration.ofMinutes(Duration.between(o.due(), o.doneAt()).toMinutes()));
    }

    private static String metrics(WindowMetrics m) {
        return m.views() + " views, " + m.comments() + " comments, " + m.outlets() + " mainstream outlets";
    }

    private static String signed(WindowMetrics m) {
        return String.format("%+d views, %+d comments, %+d outlets", m.views(), m.comments(), m.outlets());
    }
}
