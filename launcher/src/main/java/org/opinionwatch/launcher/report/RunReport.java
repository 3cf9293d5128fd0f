package org.opinionwatch.launcher.report;

import java.time.Instant;
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
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.ResponsePlan;
import org.opinionwatch.launcher.pipeline.OutputEvent;

/**
 * What one replay did, incident by incident: its trailing-window engagement over time, its level changes, the
 * notifications it caused and what became of their deadlines. Built from the run's output topics alone, so the
 * same outputs give the same report; {@link #run} says which run it was and is the only part that differs between
 * two runs of one archive.
 *
 * @param dailyReports the instants of the daily reports (they are about the day, not one incident)
 */
public record RunReport(Run run, Summary summary, List<Incident> incidents, List<Instant> dailyReports) {

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
     * @param checkpoints how many tracking checkpoints it had
     */
    public record Incident(String id, String title, String subject, Level peak, List<Point> window, List<Change> levels,
                           List<Sent> notifications, List<Deadline> deadlines, int checkpoints) {

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

    /** A notification, without its text: who was told to do what, at what level, by when. */
    public record Sent(Instant at, String id, Role role, String duty, Level level, Instant due) {
    }

    /**
     * A duty with a deadline and what became of it.
     *
     * @param doneAt when an action fulfilled it, or null
     * @param overdueAt when the overdue notice went to the role above, or null
     */
    public record Deadline(String notificationId, String duty, Role role, Instant entered, Instant due, Status status,
                           Instant doneAt, Instant overdueAt) {
    }

    /** DONE in time; MISSED: it passed undone (an overdue notice went up), done later or not; OPEN when the replay's clock stopped. */
    public enum Status { DONE, MISSED, OPEN }

    /**
     * @param events the run's severity changes, notifications, tracking checkpoints, incident states and actions
     *     (topics {@code incidents.severity}, {@code notifications}, {@code tracking}, {@code incidents}, {@code actions}),
     *     in event-time order
     */
    public static RunReport build(Run run, long deadLetters, List<OutputEvent> events) {
        Map<String, Builder> incidents = new LinkedHashMap<>();
        List<Notification> notifications = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        List<Instant> dailyReports = new ArrayList<>();
        Map<Level, Long> levelChanges = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            levelChanges.put(l, 0L);
        }
        for (OutputEvent e : events) {
            switch (e.topic()) {
                case "incidents.severity" -> {
                    SeverityChange c = e.as(SeverityChange.class);
                    incident(incidents, c.incidentId()).change(c);
                    levelChanges.merge(c.to(), 1L, Long::sum);
                }
                case "incidents" -> {
                    IncidentState s = e.as(IncidentState.class);
                    incident(incidents, s.incidentId()).state(s);
                }
                case "tracking" -> incident(incidents, e.key()).checkpoints++;
                case "notifications" -> {
                    Notification n = e.as(Notification.class);
                    if (n.duty().equals(Duty.DAILY_REPORT.key())) {
                        dailyReports.add(n.at());
                    } else {
                        notifications.add(n);
                    }
                }
                case "actions" -> actions.add(e.as(Action.class));
                default -> throw new IllegalArgumentException("no report is made of topic " + e.topic());
            }
        }
        Map<String, Notification> overdue = new LinkedHashMap<>();
        for (Notification n : notifications) {
            incident(incidents, n.incidentId()).notifications.add(n);
            if (n.duty().equals(Duty.OVERDUE.key())) {
                overdue.put(n.id(), n);
            }
        }
        actions.forEach(a -> incident(incidents, a.incidentId()).actions.add(a));
        List<Incident> built = incidents.values().stream().map(b -> b.build(overdue)).toList();
        long missed = built.stream().flatMap(i -> i.deadlines().stream()).filter(d -> d.status() == Status.MISSED).count();
        long sent = notifications.size() + dailyReports.size();
        return new RunReport(run, new Summary(built.size(), levelChanges, sent, missed, deadLetters), built, dailyReports);
    }

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

        Incident build(Map<String, Notification> overdue) {
            List<Sent> sent = notifications.stream().map(n -> new Sent(n.at(), n.id(), n.role(), n.duty(), n.level(), n.due())).toList();
            return new Incident(id, title, subject, peak, List.copyOf(window), List.copyOf(levels), sent, deadlines(overdue), checkpoints);
        }

        /** The duties with a deadline, once each (the same change sent again is the same duty), as the plan keeps them. */
        private List<Deadline> deadlines(Map<String, Notification> overdue) {
            Map<String, Deadline> deadlines = new LinkedHashMap<>();
            for (Notification n : notifications) {
                Duty duty = Duty.of(n.duty());
                if (n.due() == null || duty.deadline() == Duty.Deadline.NONE || deadlines.containsKey(n.id())) {
                    continue;
                }
                Notification notice = overdue.get(ResponsePlan.uuid(n.id() + "|overdue"));
                Instant doneAt = actions.stream().filter(a -> duty.fulfilledBy(a.kind()) && !a.at().isBefore(n.at()))
                        .map(Action::at).findFirst().orElse(null);
                Status status = notice != null ? Status.MISSED : doneAt != null ? Status.DONE : Status.OPEN;
                deadlines.put(n.id(), new Deadline(n.id(), n.duty(), n.role(), n.at(), n.due(), status, doneAt,
                        notice == null ? null : notice.at()));
            }
            return List.copyOf(deadlines.values());
        }
    }
}
