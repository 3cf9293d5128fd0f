package org.opinionwatch.classifier.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.category.ContentCategory;
import org.opinionwatch.classifier.judgement.Judgement;
import org.opinionwatch.classifier.rules.RuleBook;
import org.opinionwatch.classifier.severity.Forecaster;
import org.opinionwatch.classifier.severity.LevelPolicy;
import org.opinionwatch.classifier.window.Counts;
import org.opinionwatch.classifier.window.MemoryEntryLog;
import org.opinionwatch.classifier.window.TrailingWindow;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.RecentlyUsed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each incident's trailing windows and level. An increment moves the windows to its instant and adds to them;
 * the level rises at once when a threshold is reached, and falls only after the hysteresis cool-down. An incident
 * quiet for the calm period has subsided (a change to NONE).
 *
 * <p>Falling and subsiding happen when nothing arrives, so each incident has a timer at the next instant something
 * can happen to it: its oldest window entry expiring, its cool-down ending, its calm period ending. Timers fire in
 * event time, at their exact instant, once stream time (records and clock heartbeats) has passed them.
 */
final class IncidentProcessor implements Processor<String, Increment, String, IncidentUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);
    private static final int TOP_POSTS = 3;
    private static final int JOINED_SHOWN = 20;
    /** How often stream time is checked for due timers; the timers themselves fire at their exact instants. */
    private static final Duration PUNCTUATE_EVERY = Duration.ofMinutes(1);
    /** Incidents kept as objects per task: the active ones of a busy day, a few megabytes. */
    private static final int RECENT_INCIDENTS = 10_000;

    private final OpinionWatchConfig.Classifier configured;
    private final ClassifierMetrics metrics;
    private CurrentRules rules;
    private ProcessorContext<String, IncidentUpdate> context;
    private RecentlyUsed<IncidentRecord> incidents;
    /** Every increment's entry, for both windows: the recent window is never longer than the level's window. */
    private StoreEntryLog entries;
    private final DueChecks checks = new DueChecks();
    /**
     * Stories that joined another incident: their root post id → that incident. Held whole in memory: it is looked up
     * for every increment (a RocksDB read, nearly always of nothing, was 4% of the thread), and joins are rare.
     */
    private Mirrored<String> joined;
    /** While a post's increment is processed: the wall-clock time ingest took the post in, else 0. */
    private long intakeMillis;

    IncidentProcessor(OpinionWatchConfig.Classifier configured, ClassifierMetrics metrics) {
        this.configured = configured;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IncidentUpdate> context) {
        this.context = context;
        KeyValueStore<String, IncidentRecord> incidentStore = context.getStateStore(ClassifierTopology.INCIDENT_STORE);
        this.incidents = new RecentlyUsed<>(incidentStore, RECENT_INCIDENTS);
        this.entries = new StoreEntryLog(context.getStateStore(ClassifierTopology.WINDOW_ENTRY_STORE), RECENT_INCIDENTS);
        this.joined = new Mirrored<>(context.getStateStore(ClassifierTopology.JOINED_STORE));
        this.rules = new CurrentRules(configured, context.getStateStore(RulesStore.NAME));
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::fireTimersBefore);
        String task = context.taskId().toString();
        metrics.open.reset(task);
        try (KeyValueIterator<String, IncidentRecord> all = incidentStore.all()) {
            all.forEachRemaining(kv -> {
                metrics.open.add(task, kv.value.shown(), 1);
                if (kv.value.nextCheck() != null) {
                    checks.add(kv.value.nextCheck(), kv.key);
                }
            });
        }
    }

    @Override
    public void close() {
        metrics.open.remove(context.taskId().toString());
    }

    @Override
    public void process(Record<String, Increment> record) {
        Header intake = record.headers().lastHeader(Post.INTAKE_HEADER);
        intakeMillis = intake == null ? 0 : parseMillis(intake.value());
        try {
            process(record.key(), record.value());
        } finally {
            intakeMillis = 0;
        }
    }

    private static long parseMillis(byte[] header) {
        try {
            return Long.parseLong(new String(header, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0; // not ours to judge: the post itself was valid; only its latency goes unmeasured
        }
    }

    private void process(String id, Increment inc) {
        if (inc == null) {
            return; // a heartbeat: it advanced stream time, the punctuator does the rest
        }
        if (inc.judgement() != null) {
            judge(id, inc.judgement());
            return;
        }
        String joinedTo = joined.get(id);
        if (joinedTo != null) {
            handOver(inc.handedTo(joinedTo, 0, false, List.of(), List.of())); // the story joined another incident: so does all of it
            return;
        }
        if (inc.joins() != null && !inc.joins().equals(id)) {
            join(id, incidents.get(id), inc);
            return;
        }
        long at = inc.at().toEpochMilli();
        IncidentRecord incident = fireTimersOf(id, at); // what was due for this incident before this increment happens first
        TrailingWindow window = incident == null ? TrailingWindow.startingAt(at) : incident.window();
        TrailingWindow recent = incident == null ? TrailingWindow.startingAt(at) : incident.recent();
        boolean late = window.isLate(at, configured.window());
        if (late) {
            // Older than the whole window: its engagement can no longer change any level, what it says still counts.
            if (!inc.delta().isZero()) {
                LOG.warn("incident {}: increment at {} is older than the window ending {}; its engagement is not counted",
                        id, inc.at(), Instant.ofEpochMilli(window.end()));
            }
        } else {
            WindowEntry entry = new WindowEntry(inc.delta().views(), inc.delta().comments(), inc.outlets());
            Duration rateWindow = configured.forecast().rateWindow();
            StoreEntryLog.Incident log = entries.of(id);
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
            save(id, updated); // engagement counts before a post of the incident matches a subject
            return;
        }
        boolean opening = incident != null && !incident.opened();
        if (late && !opening && updated.needsReply() == incident.needsReply() && updated.domains().equals(incident.domains())) {
            incidents.put(id, updated); // nothing that could change the level: no decision to make
        } else if (opening && at < incident.window().end()) {
            catchUp(id, updated, at);
        } else {
            // A late increment of an open incident is decided at the window's end: the instant its metrics are of.
            decide(id, updated, Instant.ofEpochMilli(Math.max(at, window.end())));
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
    private void catchUp(String id, IncidentRecord incident, long from) {
        Duration size = configured.window();
        Duration rate = configured.forecast().rateWindow();
        TrailingWindow window = null;
        TrailingWindow recent = null;
        MemoryEntryLog windowLog = new MemoryEntryLog();
        MemoryEntryLog recentLog = new MemoryEntryLog();
        IncidentRecord state = incident;
        for (KeyValue<Long, WindowEntry> e : entries.of(id).range(from - size.toMillis(), incident.window().end())) {
            window = (window == null ? TrailingWindow.startingAt(e.key) : window).add(e.key, e.value, size, windowLog);
            recent = (recent == null ? TrailingWindow.startingAt(e.key) : recent).add(e.key, e.value, rate, recentLog);
            if (e.key >= from) {
                decide(id, state.withWindows(window, recent), Instant.ofEpochMilli(e.key));
                state = incidents.get(id);
            }
        }
    }

    /**
     * A story that joins another incident moves there whole: what its incident has counted, at its own instants,
     * then everything of the story as it arrives. Its incident, opened by its original post, closes: a change to
     * NONE, "joined incident ...".
     */
    private void join(String id, IncidentRecord own, Increment story) {
        join(id, own, story, List.of());
    }

    /** @param why more reasons for the change that closes the incident (people's judgement, for a merge) */
    private void join(String id, IncidentRecord own, Increment story, List<String> why) {
        String target = story.joins();
        joined.put(id, target);
        if (own == null) {
            handOver(story.handedTo(target, 0, false, List.of(), List.of()));
            return;
        }
        for (KeyValue<Long, WindowEntry> e : entries.of(id).removeAll()) {
            handOver(new Increment(target, null, story.post(), false, Instant.ofEpochMilli(e.key),
                    new Engagement(e.value.views(), e.value.comments(), 0, 0), e.value.outlets(), 0, false, List.of(), List.of(), null, null));
        }
        if (own.nextCheck() != null) {
            checks.remove(own.nextCheck(), id);
        }
        incidents.delete(id);
        if (own.shown() != Level.NONE) {
            IncidentRecord closed = own.withLevel(Level.NONE, null, null).withJudgement(null);
            List<String> reasons = new ArrayList<>(List.of("joined incident " + target));
            reasons.addAll(why);
            send(id, new IncidentUpdate(state(id, closed, story.at()), shownChange(id, own, own.shown(), Level.NONE, reasons, story.at()), null),
                    story.at());
        }
        handOver(story.handedTo(target, own.posts(), own.needsReply(), own.domains(), own.categories()));
    }

    private void handOver(Increment inc) {
        context.forward(new Record<>(inc.incidentId(), IncidentUpdate.handover(inc), inc.at().toEpochMilli()));
    }

    private RuleBook book() {
        return rules.get();
    }

    /** Decides the level and the forecast at {@code at}, saves the incident, re-arms its timer, emits what changed. */
    private void decide(String id, IncidentRecord incident, Instant at) {
        Level floor = incident.needsReply() ? Level.GENERAL : Level.MINOR;
        boolean sensitive = !incident.domains().isEmpty();
        LevelPolicy.Outcome outcome = book().policy().evaluate(incident.level(), incident.belowSince(), incident.window().metrics(), at, floor, sensitive);
        SeverityChange change = null;
        if (outcome.level() != incident.level()) {
            List<String> why = outcome.level().isAbove(incident.level())
                    ? reasons(outcome.level(), incident, at)
                    : List.of("below " + incident.level() + " thresholds less " + Math.round(book().settings().hysteresis().margin() * 100)
                            + "% for " + book().settings().hysteresis().coolDown());
            change = change(id, incident, outcome.level(), why, at);
        }
        Level forecastFor = outcome.level() == incident.level() ? incident.forecastFor() : null;
        IncidentRecord decided = incident.withLevel(outcome.level(), outcome.belowSince(), forecastFor);
        ForecastWarning forecast = null;
        Optional<Forecaster.Warning> warning = book().forecaster().forecast(decided.level(), decided.window().metrics(), decided.recent().metrics(), at);
        if (warning.isPresent() && warning.get().next() != decided.forecastFor()) {
            Forecaster.Warning w = warning.get();
            forecast = new ForecastWarning(id, decided.subject(), decided.level(), w.next(), w.metric(), w.value(), w.threshold(),
                    w.perHour(), at, w.expectedAt(), decided.rootPost());
            decided = decided.withLevel(decided.level(), decided.belowSince(), w.next());
        }
        save(id, decided);
        emit(id, new IncidentUpdate(state(id, decided, at), change, forecast), at);
    }

    /**
     * People's judgement of the incident (人工判读): dismissed, or its level set or cleared, it shows the level the
     * judgement gives, with the judgement as the reason of the change; merged into another incident, it joins that
     * one as a story does. An incident this task has never opened is not judged (the escalation checks that actions
     * name incidents it knows).
     */
    private void judge(String id, Action action) {
        IncidentRecord incident = fireTimersOf(id, action.at().toEpochMilli());
        if (incident == null || !incident.opened()) {
            LOG.warn("incident {}: {} by {} names an incident the classifier has not opened; nothing to judge", id, action.kind(), action.by());
            return;
        }
        if (action.kind() == Action.Kind.MERGE) {
            Judgement merging = (incident.judgement() == null ? Judgement.NONE : incident.judgement()).after(action, incident.level());
            join(id, incident, new Increment(id, incident.subject(), incident.rootPost(), true, action.at(), Engagement.ZERO, List.of(), 0,
                    false, List.of(), List.of(), null, action.into()), List.of(merging.why()));
            return;
        }
        Judgement after = (incident.judgement() == null ? Judgement.NONE : incident.judgement()).after(action, incident.level());
        IncidentRecord judged = incident.withJudgement(after.isEmpty() ? null : after);
        save(id, judged);
        Level before = incident.shown();
        SeverityChange change = before == judged.shown() ? null : shownChange(id, incident, before, judged.shown(), List.of(after.why()), action.at());
        send(id, new IncidentUpdate(state(id, judged, action.at()), change, null), action.at());
    }

    /**
     * Forwards an incident's update, its level change as people's judgement shows it (none when the judgement holds
     * the level); see {@link #send}.
     */
    private void emit(String id, IncidentUpdate update, Instant at) {
        SeverityChange change = update.change();
        IncidentRecord now = incidents.get(id);
        Judgement judgement = now == null ? null : now.judgement();
        if (change != null && judgement != null) {
            Level from = judgement.effective(change.from());
            Level to = judgement.effective(change.to());
            change = from == to ? null : new SeverityChange(change.incidentId(), change.subject(), from, to, change.crossed(), change.metrics(),
                    change.window(), change.at(), change.observedAt(), change.rootPost(), change.topPosts(), change.categories(), change.domains());
            update = new IncidentUpdate(update.state(), change, update.forecast());
        }
        send(id, update, at);
    }

    /**
     * Forwards an incident's update; a level change also moves the open-incident gauges, and a rise that a post
     * caused is timed from the post's intake.
     */
    private void send(String id, IncidentUpdate update, Instant at) {
        SeverityChange change = update.change();
        if (change != null) {
            String task = context.taskId().toString();
            metrics.open.add(task, change.from(), -1);
            metrics.open.add(task, change.to(), 1);
            metrics.changed(change);
            if (intakeMillis > 0 && change.to().isAbove(change.from())) {
                metrics.latency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - intakeMillis)));
            }
        }
        context.forward(new Record<>(id, update, at.toEpochMilli()));
    }

    /** Punctuator: every incident timer due before stream time fires, earliest first, at its own instant. */
    private void fireTimersBefore(long streamTime) {
        DueChecks.Due due;
        while ((due = checks.takeBefore(streamTime)) != null) {
            fire(due.incidentId(), Instant.ofEpochMilli(due.at()));
        }
    }

    /** Fires the incident's timers due before {@code before}; returns the incident as it then stands (read once). */
    private IncidentRecord fireTimersOf(String id, long before) {
        IncidentRecord incident = incidents.get(id);
        while (incident != null && incident.nextCheck() != null && incident.nextCheck().toEpochMilli() < before) {
            checks.remove(incident.nextCheck(), id);
            fire(id, incident.nextCheck());
            incident = incidents.get(id);
        }
        return incident;
    }

    /** The incident at instant {@code at} with nothing new: windows moved on, then a fall or a subsiding if due. */
    private void fire(String id, Instant at) {
        IncidentRecord incident = incidents.get(id);
        if (incident == null) {
            return;
        }
        long t = at.toEpochMilli();
        StoreEntryLog.Incident log = entries.of(id);
        TrailingWindow recent = incident.recent().movedTo(t, configured.forecast().rateWindow(), log.shorterWindow()); // first, as in process
        incident = incident.withNextCheck(null).withWindows(incident.window().movedTo(t, configured.window(), log), recent);
        if (incident.level() != Level.NONE && !incident.lastActivity().plus(book().settings().calmPeriod()).isAfter(at)) {
            SeverityChange subsided = change(id, incident, Level.NONE, List.of("quiet for " + book().settings().calmPeriod()), at);
            IncidentRecord calm = incident.withLevel(Level.NONE, null, null);
            save(id, calm);
            emit(id, new IncidentUpdate(state(id, calm, at), subsided, null), at);
        } else if (incident.level() != Level.NONE) {
            decide(id, incident, at);
        } else {
            save(id, incident);
        }
    }

    /** Saves the incident with its timer at the next instant something can happen to it without a new post. */
    private void save(String id, IncidentRecord incident) {
        if (incident.nextCheck() != null) {
            checks.remove(incident.nextCheck(), id);
        }
        Instant next = null;
        if (incident.level() != Level.NONE) {
            next = incident.lastActivity().plus(book().settings().calmPeriod());
            if (incident.level().compareTo(Level.MAJOR) >= 0) {
                Long expiry = incident.window().nextExpiry(configured.window(), entries.of(id));
                Instant fall = incident.belowSince() != null ? book().policy().dropDue(incident.belowSince())
                        : expiry == null ? null : Instant.ofEpochMilli(expiry);
                next = fall != null && fall.isBefore(next) ? fall : next;
            }
        } else if (!incident.opened() && entries.of(id).earliestAfter(incident.window().end() - configured.window().toMillis()) != null) {
            // Counted for the catch-up when a post of the incident matches a subject; should none ever match, its
            // entries (held in memory) leave once the latest has left the window.
            next = Instant.ofEpochMilli(incident.window().end()).plus(configured.window());
        }
        if (next != null) {
            checks.add(next, id);
        }
        incidents.put(id, incident.withNextCheck(next));
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
        java.util.Set<String> all = new java.util.HashSet<>(known);
        all.addAll(more);
        return ContentCategory.inPrecedence(all);
    }

    private static List<String> union(List<String> known, List<String> more) {
        if (more.isEmpty() || known.containsAll(more)) {
            return known;
        }
        java.util.TreeSet<String> all = new java.util.TreeSet<>(known);
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
