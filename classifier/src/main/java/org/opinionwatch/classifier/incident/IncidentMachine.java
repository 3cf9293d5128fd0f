package org.opinionwatch.classifier.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.opinionwatch.classifier.category.ContentCategory;
import org.opinionwatch.classifier.judgement.Judgement;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.severity.Forecaster;
import org.opinionwatch.classifier.severity.LevelPolicy;
import org.opinionwatch.classifier.window.Counts;
import org.opinionwatch.classifier.window.IncidentEntries;
import org.opinionwatch.classifier.window.MemoryEntryLog;
import org.opinionwatch.classifier.window.TrailingWindow;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * One incident as a state machine, with no Kafka in it: an increment, the story grouper's word, people's judgement
 * or the incident's own timer goes in with the incident as it stands, and a {@link Step} comes out with the incident
 * after it and its {@link Decision}s. Time is the inputs' event time only.
 *
 * <p>An increment moves the incident's windows to its instant and adds to them; the level rises at once when a
 * threshold is reached, and falls only after the hysteresis cool-down. An incident quiet for the calm period has
 * subsided (a change to NONE). Falling and subsiding happen when nothing arrives, so each incident has a next check
 * ({@link IncidentRecord#nextCheck}): the next instant something can happen to it without a new post (its oldest
 * window entry expiring, its cool-down ending, its calm period ending). Whoever runs the machine calls
 * {@link #check} at that instant once event time has passed it; an input of the incident fires the checks due
 * before it first.
 */
public final class IncidentMachine {
    private static final int TOP_POSTS = 3;
    private static final int JOINED_SHOWN = 20;

    private final OpinionWatchConfig.Classifier configured;
    private final Supplier<RuleBook> rules;

    /** @param rules the rules in force, read at each step (they can be published while the stage runs) */
    public IncidentMachine(OpinionWatchConfig.Classifier configured, Supplier<RuleBook> rules) {
        this.configured = configured;
        this.rules = rules;
    }

    /**
     * An incident as its processor holds it.
     *
     * @param record its state, or null for an incident nothing has been counted for (or whose story joined another)
     * @param entries its window entries, read only when a step needs them
     * @param joinedTo the incident its story joined, or null
     */
    public record Loaded(String id, IncidentRecord record, Supplier<IncidentEntries> entries, String joinedTo) {
    }

    /** The mutable work of one step: the incident as it is being changed and the decisions taken so far. */
    private static final class Work {
        final String id;
        final Supplier<IncidentEntries> entrySource;
        IncidentEntries entries;
        IncidentRecord current;
        String joinedTo;
        final List<Decision> decisions = new ArrayList<>();

        Work(Loaded loaded) {
            this.id = loaded.id();
            this.entrySource = loaded.entries();
            this.current = loaded.record();
            this.joinedTo = loaded.joinedTo();
        }

        IncidentEntries entries() {
            if (entries == null) {
                entries = entrySource.get();
            }
            return entries;
        }

        void handOver(Increment increment) {
            decisions.add(new Decision.Handover(increment));
        }

        Step done() {
            return new Step(current, joinedTo, decisions);
        }
    }

    /**
     * An input of the incident: an increment, the grouper's word that its story joins another incident
     * ({@link Increment#joins}), or people's judgement ({@link Increment#judgement}). The checks due before it fire
     * first.
     */
    public Step apply(Loaded incident, Increment inc) {
        Work w = new Work(incident);
        if (inc.judgement() != null) {
            judge(w, inc.judgement());
        } else if (w.joinedTo != null) {
            w.handOver(inc.handedTo(w.joinedTo, 0, false, List.of(), List.of())); // the story joined another incident: so does all of it
        } else if (inc.joins() != null && !inc.joins().equals(w.id)) {
            join(w, inc, List.of());
        } else {
            count(w, inc);
        }
        return w.done();
    }

    /** The incident at its next check {@code at}, with nothing new: windows moved on, then a fall or a subsiding if due. */
    public Step check(Loaded incident, Instant at) {
        Work w = new Work(incident);
        fire(w, at);
        return w.done();
    }

    private RuleBook book() {
        return rules.get();
    }

    private void count(Work w, Increment inc) {
        long at = inc.at().toEpochMilli();
        fireChecksBefore(w, at); // what was due for this incident before this increment happens first
        IncidentRecord incident = w.current;
        TrailingWindow window = incident == null ? TrailingWindow.startingAt(at) : incident.window();
        TrailingWindow recent = incident == null ? TrailingWindow.startingAt(at) : incident.recent();
        boolean late = window.isLate(at, configured.window());
        if (late) {
            // Older than the whole window: its engagement can no longer change any level, what it says still counts.
            if (!inc.delta().isZero()) {
                w.decisions.add(new Decision.NotCounted(w.id, inc.at(), Instant.ofEpochMilli(window.end())));
            }
        } else {
            WindowEntry entry = new WindowEntry(inc.delta().views(), inc.delta().comments(), inc.outlets());
            Duration rateWindow = configured.forecast().rateWindow();
            IncidentEntries log = w.entries();
            // The recent window first: it reads what expires from it before the level's window deletes it.
            recent = recent.isLate(at, rateWindow) ? recent : recent.add(at, entry, rateWindow, log.shorterWindow());
            window = window.add(at, entry, configured.window(), log);
        }

        String subject = incident != null && incident.opened() ? incident.subject() : inc.subject();
        Instant lastActivity = incident == null || inc.at().isAfter(incident.lastActivity()) ? inc.at() : incident.lastActivity();
        IncidentRecord updated = new IncidentRecord(subject,
                incident == null ? Level.NONE : incident.level(),
                incident == null || incident.openedAt() == null ? (subject == null ? null : inc.at()) : incident.openedAt(),
                window, recent,
                Counts.plus(incident == null ? 0 : incident.posts(), inc.posts()),
                inc.root() ? inc.post() : incident == null ? null : incident.rootPost(),
                topPosts(incident, inc),
                incident == null ? null : incident.belowSince(),
                lastActivity,
                incident == null ? null : incident.forecastFor(),
                incident == null ? null : incident.nextCheck(),
                inc.needsReply() || incident != null && incident.needsReply(),
                union(incident == null ? List.of() : incident.domains(), inc.domains()),
                categories(incident, inc.categories()),
                inc.joins() != null && !inc.root() ? joinedStories(incident, inc.post()) : incident == null ? List.of() : incident.joinedStories(),
                incident == null ? null : incident.judgement());
        if (subject == null) {
            save(w, updated); // engagement counts before a post of the incident matches a subject
            return;
        }
        boolean opening = incident != null && !incident.opened();
        if (late && !opening && updated.needsReply() == incident.needsReply() && updated.domains().equals(incident.domains())) {
            w.current = updated; // nothing that could change the level: no decision to make
        } else if (opening && at < incident.window().end()) {
            catchUp(w, updated, at);
        } else {
            // A late increment of an open incident is decided at the window's end: the instant its metrics are of.
            decide(w, updated, Instant.ofEpochMilli(Math.max(at, window.end())));
        }
    }

    /**
     * An incident opened by an increment earlier than the latest it has counted: the level is decided at each instant
     * the incident has counts at, from the opening to the latest, as if everything had arrived in order. Counts can
     * arrive before the post that opens their incident (posts come from different partitions, and a repost can be
     * collected before its original): the incident then opens with the exact chain of levels, each at the instant
     * it was reached, whatever the order of arrival. The windows of those instants are worked out on the side from
     * the incident's entries; the last is the incident's window as it stands. Only openings are caught up this way:
     * for an open incident it would re-live every later instant on each late count.
     */
    private void catchUp(Work w, IncidentRecord incident, long from) {
        Duration size = configured.window();
        Duration rate = configured.forecast().rateWindow();
        TrailingWindow window = null;
        TrailingWindow recent = null;
        MemoryEntryLog windowLog = new MemoryEntryLog();
        MemoryEntryLog recentLog = new MemoryEntryLog();
        IncidentRecord state = incident;
        for (Map.Entry<Long, WindowEntry> e : w.entries().range(from - size.toMillis(), incident.window().end())) {
            long at = e.getKey();
            window = (window == null ? TrailingWindow.startingAt(at) : window).add(at, e.getValue(), size, windowLog);
            recent = (recent == null ? TrailingWindow.startingAt(at) : recent).add(at, e.getValue(), rate, recentLog);
            if (at >= from) {
                decide(w, state.withWindows(window, recent), Instant.ofEpochMilli(at));
                state = w.current;
            }
        }
    }

    /**
     * A story that joins another incident moves there whole: what its incident has counted, at its own instants,
     * then everything of the story as it arrives. Its incident, opened by its original post, closes: a change to
     * NONE, "joined incident ...".
     *
     * @param why more reasons for the change that closes the incident (people's judgement, for a merge)
     */
    private void join(Work w, Increment story, List<String> why) {
        String target = story.joins();
        IncidentRecord own = w.current;
        w.joinedTo = target;
        if (own == null) {
            return; // nothing counted here: the router sends the story and its word to the incident it joined
        }
        for (Map.Entry<Long, WindowEntry> e : w.entries().removeAll()) {
            WindowEntry entry = e.getValue();
            // Each at its own instant for the window, in its place among the other incident's inputs at the join.
            w.handOver(new Increment(target, null, story.post(), false, Instant.ofEpochMilli(e.getKey()),
                    new Engagement(entry.views(), entry.comments(), 0, 0), entry.outlets(), 0, false, List.of(), List.of(), null, null)
                    .movedAt(story.at()));
        }
        w.current = null;
        if (own.shown() != Level.NONE) {
            IncidentRecord closed = own.withLevel(Level.NONE, null, null).withJudgement(null);
            List<String> reasons = new ArrayList<>(List.of("joined incident " + target));
            reasons.addAll(why);
            send(w, state(w.id, closed, story.at()), shownChange(w.id, own, own.shown(), Level.NONE, reasons, story.at()), null, story.at());
        }
        w.handOver(story.handedTo(target, own.posts(), own.needsReply(), own.domains(), own.categories()));
    }

    /** Decides the level and the forecast at {@code at}, saves the incident with its next check, emits what changed. */
    private void decide(Work w, IncidentRecord incident, Instant at) {
        Level floor = incident.needsReply() ? Level.GENERAL : Level.MINOR;
        boolean sensitive = !incident.domains().isEmpty();
        LevelPolicy.Outcome outcome = book().policy().evaluate(incident.level(), incident.belowSince(), incident.window().metrics(), at, floor, sensitive);
        SeverityChange change = null;
        if (outcome.level() != incident.level()) {
            List<String> why = outcome.level().isAbove(incident.level())
                    ? reasons(outcome.level(), incident, at)
                    : List.of("below " + incident.level() + " thresholds less " + Math.round(book().settings().hysteresis().margin() * 100)
                            + "% for " + book().settings().hysteresis().coolDown());
            change = change(w.id, incident, outcome.level(), why, at);
        }
        Level forecastFor = outcome.level() == incident.level() ? incident.forecastFor() : null;
        IncidentRecord decided = incident.withLevel(outcome.level(), outcome.belowSince(), forecastFor);
        ForecastWarning forecast = null;
        Optional<Forecaster.Warning> warning = book().forecaster().forecast(decided.level(), decided.window().metrics(), decided.recent().metrics(), at);
        if (warning.isPresent() && warning.get().next() != decided.forecastFor()) {
            Forecaster.Warning fw = warning.get();
            forecast = new ForecastWarning(w.id, decided.subject(), decided.level(), fw.next(), fw.metric(), fw.value(), fw.threshold(),
                    fw.perHour(), at, fw.expectedAt(), decided.rootPost());
            decided = decided.withLevel(decided.level(), decided.belowSince(), fw.next());
        }
        save(w, decided);
        emit(w, state(w.id, w.current, at), change, forecast, at);
    }

    /**
     * People's judgement of the incident (人工判读): dismissed, or its level set or cleared, it shows the level the
     * judgement gives, with the judgement as the reason of the change; merged into another incident, it joins that
     * one as a story does. An incident never opened here is not judged.
     */
    private void judge(Work w, Action action) {
        fireChecksBefore(w, action.at().toEpochMilli());
        IncidentRecord incident = w.current;
        if (incident == null || !incident.opened()) {
            w.decisions.add(new Decision.NotJudged(w.id, action.kind() + " by " + action.by() + " names an incident the classifier has not opened"));
            return;
        }
        Judgement after = (incident.judgement() == null ? Judgement.NONE : incident.judgement()).after(action, incident.level());
        if (action.kind() == Action.Kind.MERGE) {
            join(w, new Increment(w.id, incident.subject(), incident.rootPost(), true, action.at(), Engagement.ZERO, List.of(), 0,
                    false, List.of(), List.of(), null, action.into()), List.of(after.why()));
            return;
        }
        IncidentRecord judged = incident.withJudgement(after.isEmpty() ? null : after);
        save(w, judged);
        Level before = incident.shown();
        SeverityChange change = before == judged.shown() ? null : shownChange(w.id, incident, before, judged.shown(), List.of(after.why()), action.at());
        send(w, state(w.id, judged, action.at()), change, null, action.at());
    }

    /** An update of the incident with its level change as people's judgement shows it (none when it holds the level). */
    private void emit(Work w, IncidentState state, SeverityChange change, ForecastWarning forecast, Instant at) {
        Judgement judgement = w.current == null ? null : w.current.judgement();
        if (change != null && judgement != null) {
            Level from = judgement.effective(change.from());
            Level to = judgement.effective(change.to());
            change = from == to ? null : new SeverityChange(change.incidentId(), change.subject(), from, to, change.crossed(), change.metrics(),
                    change.window(), change.at(), change.observedAt(), change.rootPost(), change.topPosts(), change.categories(), change.domains());
        }
        send(w, state, change, forecast, at);
    }

    private static void send(Work w, IncidentState state, SeverityChange change, ForecastWarning forecast, Instant at) {
        w.decisions.add(new Decision.Update(w.id, state, change, forecast, at));
    }

    /** Fires the incident's checks due before {@code before}, earliest first. */
    private void fireChecksBefore(Work w, long before) {
        while (w.current != null && w.current.nextCheck() != null && w.current.nextCheck().toEpochMilli() < before) {
            fire(w, w.current.nextCheck());
        }
    }

    private void fire(Work w, Instant at) {
        IncidentRecord incident = w.current;
        if (incident == null) {
            return;
        }
        long t = at.toEpochMilli();
        IncidentEntries log = w.entries();
        TrailingWindow recent = incident.recent().movedTo(t, configured.forecast().rateWindow(), log.shorterWindow()); // first, as in count
        incident = incident.withNextCheck(null).withWindows(incident.window().movedTo(t, configured.window(), log), recent);
        if (incident.level() != Level.NONE && !incident.lastActivity().plus(book().settings().calmPeriod()).isAfter(at)) {
            SeverityChange subsided = change(w.id, incident, Level.NONE, List.of("quiet for " + book().settings().calmPeriod()), at);
            IncidentRecord calm = incident.withLevel(Level.NONE, null, null);
            save(w, calm);
            emit(w, state(w.id, w.current, at), subsided, null, at);
        } else if (incident.level() != Level.NONE) {
            decide(w, incident, at);
        } else {
            save(w, incident);
        }
    }

    /** The incident with its next check: the next instant something can happen to it without a new post. */
    private void save(Work w, IncidentRecord incident) {
        Instant next = null;
        if (incident.level() != Level.NONE) {
            next = incident.lastActivity().plus(book().settings().calmPeriod());
            if (incident.level().compareTo(Level.MAJOR) >= 0) {
                Long expiry = incident.window().nextExpiry(configured.window(), w.entries());
                Instant fall = incident.belowSince() != null ? book().policy().dropDue(incident.belowSince())
                        : expiry == null ? null : Instant.ofEpochMilli(expiry);
                next = fall != null && fall.isBefore(next) ? fall : next;
            }
        } else if (!incident.opened() && w.entries().earliestAfter(incident.window().end() - configured.window().toMillis()) != null) {
            // Counted for the catch-up when a post of the incident matches a subject; should none ever match, its
            // entries (held in memory) leave once the latest has left the window.
            next = Instant.ofEpochMilli(incident.window().end()).plus(configured.window());
        }
        w.current = incident.withNextCheck(next);
    }

    /** Why an incident rose: the thresholds crossed, the sensitive domains, a post that needs a reply. */
    private List<String> reasons(Level to, IncidentRecord incident, Instant at) {
        List<String> why = new ArrayList<>(book().severity().crossed(to, incident.window().metrics(), at));
        if (to == Level.CRITICAL && why.isEmpty()) {
            why.addAll(book().severity().crossed(Level.MAJOR, incident.window().metrics(), at));
            why.add("sensitive domain: " + String.join(", ", incident.domains()));
        }
        if (to == Level.GENERAL) {
            why.add("a post needs a reply");
        }
        return why;
    }

    /** The root posts of the stories that joined the incident, the first {@value #JOINED_SHOWN} of them. */
    private static List<PostRef> joinedStories(IncidentRecord incident, PostRef story) {
        List<PostRef> known = incident == null ? List.of() : incident.joinedStories();
        if (known.size() >= JOINED_SHOWN || known.contains(story)) {
            return known;
        }
        List<PostRef> more = new ArrayList<>(known);
        more.add(story);
        return List.copyOf(more);
    }

    private static List<String> categories(IncidentRecord incident, List<String> more) {
        List<String> known = incident == null ? List.of() : incident.categories();
        if (more.isEmpty() || known.containsAll(more)) {
            return known;
        }
        Set<String> all = new HashSet<>(known);
        all.addAll(more);
        return ContentCategory.inPrecedence(all);
    }

    private static List<String> union(List<String> known, List<String> more) {
        if (more.isEmpty() || known.containsAll(more)) {
            return known;
        }
        TreeSet<String> all = new TreeSet<>(known);
        all.addAll(more);
        return List.copyOf(all);
    }

    private SeverityChange change(String id, IncidentRecord incident, Level to, List<String> why, Instant at) {
        return new SeverityChange(id, incident.subject(), incident.level(), to, why, incident.window().metrics(), configured.window(),
                at, at, incident.rootPost(), incident.topPosts().stream().map(IncidentRecord.TopPost::post).toList(),
                incident.categories(), incident.domains());
    }

    /** A change between the levels the incident shows (people's judgement applied). */
    private SeverityChange shownChange(String id, IncidentRecord incident, Level from, Level to, List<String> why, Instant at) {
        SeverityChange c = change(id, incident, to, why, at);
        return new SeverityChange(c.incidentId(), c.subject(), from, to, c.crossed(), c.metrics(), c.window(), c.at(), c.observedAt(),
                c.rootPost(), c.topPosts(), c.categories(), c.domains());
    }

    private static IncidentState state(String id, IncidentRecord incident, Instant at) {
        return new IncidentState(id, incident.subject(), incident.shown(), incident.window().metrics(), incident.openedAt(),
                at, incident.rootPost(), incident.posts(), incident.joinedStories());
    }

    /** The incident's posts with the most engagement so far (all time, not windowed), highest first. */
    private static List<IncidentRecord.TopPost> topPosts(IncidentRecord incident, Increment inc) {
        List<IncidentRecord.TopPost> top = new ArrayList<>(incident == null ? List.of() : incident.topPosts());
        Engagement delta = inc.delta();
        long total = Counts.plus(Counts.plus(delta.views(), delta.comments()), Counts.plus(delta.reposts(), delta.likes()));
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).post().id().equals(inc.post().id())) {
                total = Counts.plus(total, top.remove(i).engagement());
                break;
            }
        }
        top.add(new IncidentRecord.TopPost(inc.post(), total));
        top.sort(Comparator.comparingLong(IncidentRecord.TopPost::engagement).reversed());
        return List.copyOf(top.subList(0, Math.min(TOP_POSTS, top.size())));
    }
}
