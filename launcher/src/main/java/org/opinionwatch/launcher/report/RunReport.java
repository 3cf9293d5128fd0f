package org.opinionwatch.launcher.report;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.actions.Actions;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.topology.EscalationTopology;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/**
 * What one replay did, incident by incident: its trailing-window engagement over time, its level changes, the
 * notifications it caused, the actions people (or the simulated office) took, and what became of each duty. Built
 * from the run's output topics (and, when read, the escalation stage's cases), so the same outputs give the same
 * report; {@link #run} says which run it was and is the only part that differs between two runs of one archive.
 *
 * @param budget what the run asked of people ({@link Budget})
 * @param dailyReports the instants of the daily reports (they are about the day, not one incident)
 */
public record RunReport(Run run, Summary summary, Budget budget, List<Incident> incidents, List<Instant> dailyReports) {

    /**
     * Which run this is.
     *
     * @param archiveFrom the event time of the archive's first snapshot; {@code archiveTo} of its last
     */
    public record Run(String archive, String format, String namespace, String speed, String rules, Instant archiveFrom,
                      Instant archiveTo, long snapshots) {
    }

    /**
     * @param levelChanges the number of changes to each level (NONE: subsided or joined another incident)
     * @param deadLetters what the archive held that could not be used (posts.dlq)
     */
    public record Summary(int incidents, Map<Level, Long> levelChanges, long notifications, long deadlinesMissed,
                          long deadLetters) {
        /** One line for a person. */
        public String text() {
            StringBuilder changes = new StringBuilder();
            levelChanges.forEach((level, n) -> changes.append(changes.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", n))
                    .append(" to ").append(level));
            return String.format(Locale.ROOT, "%,d incidents; level changes: %s; %,d notifications; %,d deadlines missed; "
                    + "%,d rejected to posts.dlq", incidents, changes, notifications, deadlinesMissed, deadLetters);
        }
    }

    /**
     * One incident.
     *
     * @param peak the highest level it reached
     * @param window its trailing-window engagement and level after each change of either, in event time
     * @param notifications what was sent about it: its own notifications, and the digests that listed it
     * @param actions what people (or the simulated office) did and decided about it
     * @param deadlines each duty with a deadline and what became of it, as the escalation stage's case says; empty
     *     when the cases were not read
     * @param checkpoints how many tracking checkpoints it had
     */
    public record Incident(String id, String title, String subject, Level peak, List<Point> window, List<Change> levels,
                           List<Sent> notifications, List<Acted> actions, List<Deadline> deadlines, int checkpoints) {

        /** For each level it reached, the instant it first reached it (or a level above it). */
        public Map<Level, Instant> firstReached() {
            Map<Level, Instant> first = new EnumMap<>(Level.class);
            for (Change c : levels) {
                for (Level l : Level.values()) {
                    if (l != Level.NONE && c.to().compareTo(l) >= 0) {
                        first.putIfAbsent(l, c.at());
                    }
                }
            }
            return first;
        }
    }

    public record Point(Instant at, Level level, WindowMetrics metrics) {
    }

    public record Change(Instant at, Level from, Level to, List<String> crossed, WindowMetrics metrics) {
    }

    /**
     * A notification, without its text: who was told to do what, at what level, by when.
     *
     * @param deliverAt for a digest, when it was delivered
     */
    public record Sent(Instant at, String id, Notification.Kind kind, Role role, List<String> duties, Level level, Instant due,
                       Instant deliverAt) {
    }

    /** An action on the incident: a duty done, or people's judgement. */
    public record Acted(Instant at, String kind, String duty, Level level, String into, String by, String note) {
    }

    /**
     * A duty with a deadline and what became of it.
     *
     * @param start when its role was told (the end of the quiet hours for one held back)
     * @param closedAt when it was done or otherwise closed, or null
     */
    public record Deadline(String duty, Role role, Instant given, Instant start, Instant due, Status status, Instant closedAt, String by,
                           boolean overdue) {
    }

    /**
     * DONE in time; LATE: done after its deadline; MISSED: not done, and its deadline passed (an overdue notice went
     * up); OPEN when the replay's clock stopped; SUPERSEDED by a higher level's procedure; CLOSED with the case.
     */
    public enum Status { DONE, LATE, MISSED, OPEN, SUPERSEDED, CLOSED }

    /**
     * @param events the run's severity changes, notifications, tracking checkpoints, incident states and actions
     *     (topics {@code incidents.severity}, {@code notifications}, {@code tracking}, {@code incidents}, {@code actions}),
     *     in event-time order, and the escalation stage's cases as it left them ({@link #CASES}), where read
     * @param zone the plan's zone, where the night is counted
     */
    public static RunReport build(Run run, long deadLetters, List<OutputEvent> events, ZoneId zone) {
        Map<String, Builder> incidents = new LinkedHashMap<>();
        List<Notification> notifications = new ArrayList<>();
        List<SeverityChange> changes = new ArrayList<>();
        Map<String, Case> cases = null;
        List<Instant> dailyReports = new ArrayList<>();
        Map<Level, Long> levelChanges = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            levelChanges.put(l, 0L);
        }
        for (OutputEvent e : events) {
            switch (e.topic()) {
                case "incidents.severity" -> {
                    SeverityChange c = e.as(SeverityChange.class);
                    changes.add(c);
                    incident(incidents, c.incidentId()).change(c);
                    levelChanges.merge(c.to(), 1L, Long::sum);
                }
                case "incidents" -> {
                    IncidentState s = e.as(IncidentState.class);
                    incident(incidents, s.incidentId()).state(s);
                }
                case "tracking" -> incident(incidents, e.key()).checkpoints++;
                case "notifications" -> {
                    Notification n = Topics.NOTIFICATION.deserialize(e.topic(), e.value());
                    notifications.add(n);
                    if (n.kind() == Notification.Kind.DAILY_REPORT) {
                        if (n.role() == Role.LEADERSHIP_GROUP) {
                            dailyReports.add(n.at());
                        }
                    } else {
                        n.incidents().forEach(id -> incident(incidents, id).notifications.add(n));
                    }
                }
                case "actions" -> {
                    Action a = Topics.ACTION.deserialize(e.topic(), e.value());
                    if (a.incidentId() != null) {
                        incident(incidents, a.incidentId()).actions.add(a);
                    }
                }
                case CASES -> {
                    cases = cases == null ? new LinkedHashMap<>() : cases;
                    cases.put(e.key(), EscalationTopology.CASE_JSON.deserialize(e.topic(), e.value()));
                }
                default -> throw new IllegalArgumentException("no report is made of topic " + e.topic());
            }
        }
        Map<String, Case> known = cases == null ? Map.of() : cases;
        List<Incident> built = incidents.values().stream().map(b -> b.build(known.get(b.id))).toList();
        long missed = built.stream().flatMap(i -> i.deadlines().stream()).filter(d -> d.status() == Status.MISSED || d.status() == Status.LATE).count();
        return new RunReport(run, new Summary(built.size(), levelChanges, notifications.size(), missed, deadLetters),
                Budget.of(changes, notifications, cases, zone), built, dailyReports);
    }

    /** The topic name under which the escalation stage's cases come among the events. */
    public static final String CASES = "cases";

    private static Builder incident(Map<String, Builder> incidents, String id) {
        return incidents.computeIfAbsent(id, Builder::new);
    }

    private static final class Builder {
        final String id;
        String title = "";
        String subject = "";
        Level peak = Level.NONE;
        int checkpoints;
        final List<Point> window = new ArrayList<>();
        final List<Change> levels = new ArrayList<>();
        final List<Notification> notifications = new ArrayList<>();
        final List<Action> actions = new ArrayList<>();

        Builder(String id) {
            this.id = id;
        }

        void change(SeverityChange c) {
            levels.add(new Change(c.at(), c.from(), c.to(), c.crossed(), c.metrics()));
            peak = c.to().isAbove(peak) ? c.to() : peak;
            describe(c.subject(), c.rootPost() == null ? null : c.rootPost().title());
        }

        void state(IncidentState s) {
            window.add(new Point(s.updatedAt(), s.level(), s.metrics()));
            describe(s.subject(), s.rootPost() == null ? null : s.rootPost().title());
        }

        private void describe(String subject, String title) {
            this.subject = this.subject.isEmpty() && subject != null ? subject : this.subject;
            this.title = this.title.isEmpty() && title != null ? title : this.title;
        }

        Incident build(Case c) {
            List<Sent> sent = notifications.stream().map(n -> new Sent(n.at(), n.id(), n.kind(), n.role(), n.duties(), n.level(), n.due(),
                    n.deliverAt())).toList();
            List<Acted> acted = actions.stream().map(a -> new Acted(a.at(), Actions.name(a.kind()), a.duty(), a.level(), a.into(), a.by(), a.note()))
                    .toList();
            return new Incident(id, title, subject, peak, List.copyOf(window), List.copyOf(levels), sent, acted, deadlines(c), checkpoints);
        }

        /** The duties with a deadline, as the case kept them. */
        private static List<Deadline> deadlines(Case c) {
            if (c == null) {
                return List.of();
            }
            return c.duties().stream().filter(d -> d.due() != null && d.given() != null).map(d -> new Deadline(d.duty(), d.role(), d.given(),
                    d.start(), d.due(), status(d), d.closedAt(), d.by(), d.overdue())).toList();
        }

        private static Status status(Case.DutyState d) {
            return switch (d.state()) {
                case DONE -> d.closedAt().isAfter(d.due()) ? Status.LATE : Status.DONE;
                case SUPERSEDED -> Status.SUPERSEDED;
                case CLOSED -> Status.CLOSED;
                case OPEN, WAITING -> d.overdue() ? Status.MISSED : Status.OPEN;
            };
        }
    }
}
