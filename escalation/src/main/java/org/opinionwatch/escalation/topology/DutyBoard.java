package org.opinionwatch.escalation.topology;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.plan.Case;

/**
 * The duty board's meters ({@code docker/grafana/dashboards/duty-board.json}, {@code docs/duty-board.md}): for each
 * open case a set of gauges labelled with its incident id, registered when it opens and removed when it closes
 * (subsides, is dismissed or merged), so that the series are the open incidents and no more; and one gauge per
 * silence in force. The story's title is a label of one info gauge only, cut short, which the board joins on the
 * incident: the other series stay small, and a title that changes replaces one series.
 *
 * <p>The cases are those of the Streams tasks this instance runs, kept per task: a task that moves to another
 * instance takes its rows along ({@link #forget}), and the instance it moves to shows them from its store. Every task
 * holds every silence, so a silence's gauge lives while one task of the instance holds it.
 *
 * <p>A case's steps reach the board when its task commits ({@link #stage}, {@link #publish}), as they reach its
 * store: a backlog takes many steps of a case between two commits, and registering a gauge costs far more than
 * setting one, so a case that opens and closes within a commit never registers any.
 */
final class DutyBoard {
    /** What breaks a line or is not printed: compiled once, as labels are made for every step of a case. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\s]+");

    /** Titles as labels: enough to recognise a story on the board, and no longer. */
    static final int TITLE_CHARS = 60;
    /** A link longer than this is left out of the label: one cut short would lead nowhere. */
    static final int URL_CHARS = 300;

    private final MeterRegistry registry;
    private final Map<String, Map<String, Row>> rows = new ConcurrentHashMap<>();
    private final Map<String, SilenceRow> silences = new ConcurrentHashMap<>();
    /** By task, the cases stepped since its last commit and the counts reported since: only its stream thread uses each. */
    private final Map<String, Map<String, Staged>> staged = new ConcurrentHashMap<>();

    DutyBoard(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The case as it now stands, in its task, at once (a task's cases as it starts): a row while it is open, none otherwise. */
    void show(String task, Case c) {
        Map<String, Row> ofTask = rows.computeIfAbsent(task, t -> new ConcurrentHashMap<>());
        if (c.status() == Case.Status.OPEN && c.level() != Level.NONE) {
            ofTask.computeIfAbsent(c.incidentId(), Row::new).show(c);
        } else {
            Row row = ofTask.remove(c.incidentId());
            if (row != null) {
                row.remove();
            }
        }
    }

    /** The case as it now stands, shown at the task's next commit ({@link #publish}); what the commit writes. */
    void stage(String task, Case c) {
        staged.computeIfAbsent(task, t -> new HashMap<>()).put(c.incidentId(), new Staged(c, null));
    }

    /** Shows what the task staged since its last commit: each case as it last stood, with the counts reported after it. */
    void publish(String task) {
        Map<String, Staged> ofTask = staged.get(task);
        if (ofTask == null || ofTask.isEmpty()) {
            return;
        }
        for (Staged s : ofTask.values()) {
            show(task, s.last());
            if (s.counts() != null) {
                showCounts(task, s.last().incidentId(), s.counts());
            }
        }
        ofTask.clear();
    }

    /** The classifier's latest counts of an incident, between the steps of its case. */
    void counts(String task, String incidentId, WindowMetrics metrics) {
        Map<String, Staged> stagedOfTask = staged.get(task);
        Staged s = stagedOfTask == null ? null : stagedOfTask.get(incidentId);
        if (s != null) { // shown after the staged case, at the commit
            stagedOfTask.put(incidentId, new Staged(s.last(), metrics));
        } else {
            showCounts(task, incidentId, metrics);
        }
    }

    private void showCounts(String task, String incidentId, WindowMetrics metrics) {
        Map<String, Row> ofTask = rows.get(task);
        Row row = ofTask == null ? null : ofTask.get(incidentId);
        if (row != null) {
            row.counts(metrics);
        }
    }

    void silenced(String task, Action.Silence silence) {
        silences.compute(silence.id(), (id, row) -> {
            SilenceRow r = row != null ? row : new SilenceRow(silence);
            r.tasks.add(task);
            return r;
        });
    }

    /** The task no longer holds the silence: removed, or expired in event time. */
    void unsilenced(String task, String silenceId) {
        silences.computeIfPresent(silenceId, (id, row) -> row.without(task));
    }

    /** The task left this instance (or stops): its rows go, and the silences only it held. */
    void forget(String task) {
        staged.remove(task);
        Map<String, Row> ofTask = rows.remove(task);
        if (ofTask != null) {
            ofTask.values().forEach(Row::remove);
        }
        List.copyOf(silences.keySet()).forEach(id -> unsilenced(task, id));
    }

    /** The label value of a text: one line, no control characters, at most {@code max} characters. */
    static String label(String text, int max) {
        if (text == null) {
            return "";
        }
        return Limits.truncate(BREAKS.matcher(text).replaceAll(" ").strip(), max);
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    /** The earliest deadline first; between equal deadlines, the duty's name. */
    private static final Comparator<Case.DutyState> NEXT_DEADLINE = Comparator.comparing(Case.DutyState::due).thenComparing(Case.DutyState::duty);

    /** An incident's tags with two more labels, made again only when their values change: they seldom do between steps. */
    private static final class PairTags {
        private final Tags base;
        private final String firstKey;
        private final String secondKey;
        private String first;
        private String second;
        private Tags tags;

        PairTags(Tags base, String firstKey, String secondKey) {
            this.base = base;
            this.firstKey = firstKey;
            this.secondKey = secondKey;
        }

        Tags of(String first, String second) {
            if (tags == null || !Objects.equals(first, this.first) || !Objects.equals(second, this.second)) {
                this.first = first;
                this.second = second;
                tags = base.and(firstKey, first, secondKey, second);
            }
            return tags;
        }
    }

    /** A gauge whose labels may change, or that may be absent: registered again when they change. */
    private final class Slot {
        private final String name;
        private final String description;
        private final String unit;
        private volatile double value;
        private Tags tags;
        private Meter meter;

        Slot(String name, String unit, String description) {
            this.name = name;
            this.unit = unit;
            this.description = description;
        }

        /** @param tags null: no series */
        void set(Tags tags, double value) {
            this.value = value;
            if (Objects.equals(tags, this.tags)) {
                return;
            }
            if (meter != null) {
                registry.remove(meter);
            }
            this.tags = tags;
            // Strong: Micrometer holds a gauge's object weakly, and this one lives as long as its row.
            meter = tags == null ? null : Gauge.builder(name, this, s -> s.value).tags(tags).baseUnit(unit)
                    .description(description).strongReference(true).register(registry);
        }

        void remove() {
            set(null, Double.NaN);
        }
    }

    /** A case stepped since its task's last commit, and the counts the classifier reported after that step, if any. */
    private record Staged(Case last, WindowMetrics counts) {
    }

    /** What the info gauge's labels are made from: a case's subject and root post. */
    private record Story(String subject, PostRef root) {
    }

    /** The gauges of one open case. */
    private final class Row {
        private final Tags incident;
        private final Slot info = new Slot("escalation.open.incident.info", null,
                "An open incident's story, as labels to join on incident: subject, title (cut short), link");
        private final Slot level = new Slot("escalation.open.incident.level", null,
                "An open incident's level: 1 MINOR, 2 GENERAL, 3 MAJOR, 4 CRITICAL");
        private final Slot views = new Slot("escalation.open.incident.window.views", null, "An open incident's views in its trailing window");
        private final Slot comments = new Slot("escalation.open.incident.window.comments", null,
                "An open incident's comments in its trailing window");
        private final Slot outlets = new Slot("escalation.open.incident.window.outlets", null,
                "An open incident's mainstream outlets in its trailing window");
        private final Slot opened = new Slot("escalation.open.incident.opened.timestamp", "seconds",
                "When an open incident's case opened, in event time");
        private final Slot overdue = new Slot("escalation.open.incident.overdue.duties", null,
                "An open incident's duties whose deadline passed undone");
        private final Slot trend = new Slot("escalation.open.incident.trend", null,
                "An open incident's trend at its last tracking checkpoint: 1 rising, 0 steady, -1 falling");
        private final Slot deadline = new Slot("escalation.open.incident.deadline.timestamp", "seconds",
                "An open incident's earliest deadline of a duty not done, with its role and duty");
        private final Slot forecast = new Slot("escalation.open.incident.forecast.timestamp", "seconds",
                "When an open incident is forecast to reach the next level, with that level and the metric");
        private final List<Slot> all = List.of(info, level, views, comments, outlets, opened, overdue, trend, deadline, forecast);

        private Story shown;
        private final PairTags deadlineTags;
        private final PairTags forecastTags;

        Row(String incidentId) {
            this.incident = Tags.of("incident", incidentId);
            this.deadlineTags = new PairTags(incident, "role", "duty");
            this.forecastTags = new PairTags(incident, "next", "metric");
        }

        void show(Case c) {
            PostRef root = c.rootPost();
            // The story's labels are made again only when it changes: most steps of a case leave it as it was.
            Story story = new Story(c.subject(), root);
            if (!story.equals(shown)) {
                shown = story;
                String url = root == null || root.url() == null || root.url().length() > URL_CHARS ? "" : label(root.url(), URL_CHARS);
                info.set(incident.and("subject", label(c.subject(), TITLE_CHARS), "title", label(root == null ? null : root.title(), TITLE_CHARS),
                        "url", url), 1);
            }
            level.set(incident, c.level().ordinal());
            counts(c.metrics() == null ? WindowMetrics.ZERO : c.metrics());
            Instant since = c.openSince();
            opened.set(since == null ? null : incident, since == null ? Double.NaN : seconds(since));
            // One pass over the duties, which every step of the case shows.
            int overdueDuties = 0;
            Case.DutyState next = null;
            for (Case.DutyState d : c.duties()) {
                if (d.isOpen()) {
                    overdueDuties += d.overdue() ? 1 : 0;
                    if (d.due() != null && (next == null || NEXT_DEADLINE.compare(d, next) < 0)) {
                        next = d;
                    }
                }
            }
            overdue.set(incident, overdueDuties);
            TrackingCheckpoint.Trend t = c.outlook().trend();
            trend.set(t == null ? null : incident, t == null ? Double.NaN : t == TrackingCheckpoint.Trend.RISING ? 1
                    : t == TrackingCheckpoint.Trend.FALLING ? -1 : 0);
            deadline.set(next == null ? null : deadlineTags.of(next.role().name(), next.duty()), next == null ? Double.NaN : seconds(next.due()));
            Case.Forecast f = c.outlook().forecast();
            forecast.set(f == null ? null : forecastTags.of(f.next().name(), f.metric()), f == null ? Double.NaN : seconds(f.expectedAt()));
        }

        void counts(WindowMetrics m) {
            views.set(incident, m.views());
            comments.set(incident, m.comments());
            outlets.set(incident, m.outlets());
        }

        void remove() {
            all.forEach(Slot::remove);
        }
    }

    /** A silence in force, with the tasks of this instance that hold it. */
    private final class SilenceRow {
        private final Slot until = new Slot("escalation.silence.until.timestamp", "seconds",
                "A silence in force, until when: what it covers (incident, subject or role) and its value");
        private final Set<String> tasks = new HashSet<>();

        SilenceRow(Action.Silence s) {
            until.set(Tags.of("silence", s.id(), "target", s.target().name(), "value", label(s.value(), TITLE_CHARS)), seconds(s.until()));
        }

        /** This row without the task, or null (and its gauge removed) when no task holds the silence any longer. */
        SilenceRow without(String task) {
            tasks.remove(task);
            if (tasks.isEmpty()) {
                until.remove();
                return null;
            }
            return this;
        }
    }
}
