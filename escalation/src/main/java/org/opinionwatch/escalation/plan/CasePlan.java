package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.NamedIds;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.escalation.plan.Case.DutyState;

/**
 * The response plan run on one incident's case, as a state machine with no Kafka in it: a level change, a forecast,
 * an action or a timer goes in with the case as it stands, and a {@link Step} comes out with the case after it, what
 * it gives out and the timers it arms. Time is the inputs' event time only, so the same inputs give the same steps.
 *
 * <p>What it asks of people (DESIGN.md, "What the plan asks of people"):
 * <ul>
 *   <li>One notification per role per decision, listing that role's duties; a duty is given once per case (the
 *       reports up the chain once per entry to each level of the major procedure), so a relapse or a higher level
 *       sends only what is new, and the major procedure supersedes the GENERAL duties still open.</li>
 *   <li>A reminder once per duty, when its deadline leaves time for one; an overdue notice once per duty.</li>
 *   <li>Bulletins while the incident is MAJOR or CRITICAL, at the configured times, and one closing bulletin.</li>
 *   <li>A notification about a MINOR or GENERAL incident inside its role's quiet hours waits for their end (the desk
 *       sends the role one digest), and its deadlines count from there ({@link OfficeHours}); silences hold back
 *       what they cover ({@link Silences}).</li>
 *   <li>A subsided case that reaches the relapse level again reopens and gets one review; below it, its activity
 *       goes to the daily report only.</li>
 * </ul>
 */
public final class CasePlan {
    private static final String JOINED = "joined incident ";
    /** How long after a deadline the simulated LATE office acts: just after it. */
    static final Duration LATE_BY = Duration.ofMinutes(1);

    private final OpinionWatchConfig.Escalation settings;
    private final ResponsePlan plan;
    private final TrackingSchedule schedule;
    private final OfficeHours hours;
    private final Texts texts;
    private final Reports reports;
    private final ZoneId zone;
    private final Duration window;
    private final OpinionWatchConfig.Threshold major;

    public CasePlan(OpinionWatchConfig config) {
        this.settings = config.escalation();
        this.plan = new ResponsePlan(settings);
        this.schedule = new TrackingSchedule(settings);
        this.hours = new OfficeHours(settings, config.classifier().heightenedWatch());
        this.zone = ZoneId.of(settings.zone());
        this.texts = new Texts(settings.locale(), zone);
        this.reports = new Reports(texts, settings);
        this.window = config.classifier().window();
        this.major = config.classifier().thresholds().major();
    }

    public Texts texts() {
        return texts;
    }

    public Reports reports() {
        return reports;
    }

    /** The mutable work of one step: the case being changed, what the step gives out and arms, the silences in force. */
    private static final class Work {
        final Case.Builder m;
        final Silences silences;
        final List<Output> out = new ArrayList<>();
        final List<Timer> timers = new ArrayList<>();

        Work(Case before, Silences silences) {
            this.m = before.edit();
            this.silences = silences;
        }

        String id() {
            return m.incidentId();
        }

        /** Arms a timer: the step gives it out, and the case holds it until it fires. */
        void arm(Timer timer) {
            timers.add(timer);
            m.arm(timer);
        }

        Step done() {
            return new Step(m.build(), out, timers);
        }
    }

    // ---- inputs ------------------------------------------------------------------------------------------------

    /** A change of the incident's level, as the classifier decided it (or people's judgement, which it applied). */
    public Step levelChanged(Case before, SeverityChange change, Silences silences) {
        Work w = new Work(before, silences);
        Case.Builder m = w.m;
        Instant at = change.at();
        Level from = m.level;
        Level to = change.to();
        Level peakBefore = m.peak;
        boolean joined = to == Level.NONE && change.crossed().stream().anyMatch(c -> c.startsWith(JOINED));
        // A story that joined another incident is closed by a change dated when it began, written after the changes it
        // made since: the daily report takes it as of the latest the case knows, or it would show the story open for ever.
        Instant reported = joined && m.metricsAt != null && m.metricsAt.isAfter(at) ? m.metricsAt : at;
        m.subject = change.subject();
        m.rootPost = change.rootPost() != null ? change.rootPost() : m.rootPost;
        m.categories = change.categories().isEmpty() ? m.categories : change.categories();
        if (change.metrics() != null && (m.metricsAt == null || !at.isBefore(m.metricsAt))) {
            m.metrics = change.metrics();
            m.metricsAt = at;
        }
        m.log(at, texts.t("timeline.change", texts.level(change.from()), texts.level(to))
                + (change.crossed().isEmpty() ? "" : " (" + String.join("，", change.crossed().stream().map(texts::reason).toList()) + ")"));
        m.level = to;
        m.peak = to.isAbove(m.peak) ? to : m.peak;
        m.outlook = m.outlook.withForecast(null); // a forecast is made for the level the incident was at
        if (m.status == Case.Status.DISMISSED || m.status == Case.Status.MERGED) {
            if (from.compareTo(Level.MAJOR) >= 0 && to.compareTo(Level.MAJOR) < 0) {
                closingBulletin(w, at);
            }
            m.round = null;
            m.outlook = m.outlook.withTrend(null, null);
            w.out.add(deskEntry(w, reported, false));
            return w.done(); // people closed it: what the classifier still says is only recorded
        }
        boolean reopening = from == Level.NONE && to != Level.NONE && (m.status == Case.Status.AFTERCARE || m.status == Case.Status.CLOSED);
        if (reopening) {
            m.reopened = true;
            m.subsidedAt = null; // its aftercare ends: no review now
            m.log(at, texts.t("timeline.reopened", texts.level(to)));
        }
        if (to != Level.NONE) {
            m.openedAt = m.status == Case.Status.OPEN ? m.openedAt : at;
            m.status = Case.Status.OPEN;
        }
        if (to.isAbove(from)) {
            rise(w, from, to, peakBefore, at);
        }
        if (from.compareTo(Level.MAJOR) >= 0 && to.compareTo(Level.MAJOR) < 0) {
            closingBulletin(w, at);
        }
        if (to.compareTo(m.procedure) < 0) {
            m.procedure = to; // a later rise to MAJOR is a new entry: the leadership hears of it at once
        }
        if (to == Level.NONE) {
            subsided(w, at, joined);
        } else if (schedule.startsRound(change) && (m.round == null || !m.round.start().equals(at))) {
            WindowMetrics now = m.metrics != null ? m.metrics : WindowMetrics.ZERO;
            m.round = new Case.Round(at, 1, now, now);
            m.outlook = m.outlook.withTrend(null, null);
            w.arm(new Timer(Timer.Kind.CHECKPOINT, w.id(), schedule.due(at, 1), at, 1, null));
        }
        w.out.add(deskEntry(w, reported, false));
        return w.done();
    }

    /**
     * The classifier's forecast of the next level, shown on the duty board and in the daily report. A GENERAL
     * incident forecast to become MAJOR goes to the major procedure ({@code growth.forecast}). Otherwise a forecast is
     * one notice to the role that leads the incident when the level forecast asks people something the procedure in
     * force does not ({@link #asksMore}), once per level and case; the rest changes nothing for anyone.
     */
    public Step forecast(Case before, ForecastWarning forecast, Silences silences) {
        Work w = new Work(before, silences);
        Case.Builder m = w.m;
        Level next = forecast.next();
        if (m.status != Case.Status.OPEN || !next.isAbove(m.level)) {
            return w.done(); // a case people or the calm closed, or a level it has reached already
        }
        Instant at = forecast.at();
        m.outlook = m.outlook.withForecast(new Case.Forecast(next, forecast.metric(), forecast.threshold(), at, forecast.expectedAt()));
        if (settings.growth().forecast() && m.level == Level.GENERAL && m.procedure.compareTo(Level.MAJOR) < 0
                && next.compareTo(Level.MAJOR) >= 0) {
            m.outlook = m.outlook.heard(next);
            majorProcedure(w, at, texts.t("reason.forecast"));
        } else if (next.isAbove(m.outlook.forecastHeard()) && asksMore(m, next)) {
            m.outlook = m.outlook.heard(next);
            notice(w, Duty.HEED_FORECAST, at, texts.t("reason.forecast-at", texts.time(forecast.expectedAt()),
                    texts.t("metric." + forecast.metric()), forecast.threshold(), texts.level(next)));
        }
        tracked(w, at);
        return w.done();
    }

    /**
     * Whether the plan at {@code level} asks people more than, or other than, the procedure in force: the major
     * procedure for an incident below it; for one on it, another reporting chain (with the defaults, MAJOR's and
     * CRITICAL's are the same, so a forecast of CRITICAL tells nobody anything to do).
     */
    private boolean asksMore(Case.Builder m, Level level) {
        if (!level.isAbove(m.procedure)) {
            return false;
        }
        if (m.procedure.compareTo(Level.MAJOR) < 0) {
            return level.compareTo(Level.MAJOR) >= 0;
        }
        return !java.util.Set.copyOf(plan.major(level, m.categories)).equals(java.util.Set.copyOf(plan.major(m.procedure, m.categories)));
    }

    /** What a person did or decided about the incident (silences are the stage's, not a case's). */
    public Step acted(Case before, Action action, Silences silences) {
        Work w = new Work(before, silences);
        Case.Builder m = w.m;
        if (!m.firstTime(action.id())) {
            return w.done(); // read twice (the simulated office's own, or a resend): it counts once
        }
        Instant at = action.at();
        switch (action.kind()) {
            case DONE -> done(w, action.duty(), at, action.by(), action.note());
            case RESOLVE -> {
                closeAll(w, DutyState.State.DONE, at, action.by(), d -> true);
                m.log(at, texts.t("timeline.resolved", action.by()) + note(action));
            }
            case DISMISS -> {
                closeAll(w, DutyState.State.CLOSED, at, action.by(), d -> true);
                m.status = Case.Status.DISMISSED;
                m.subsidedAt = null;
                m.log(at, texts.t("timeline.dismissed", action.by(), action.note()));
            }
            case MERGE -> {
                closeAll(w, DutyState.State.CLOSED, at, action.by(), d -> true);
                m.status = Case.Status.MERGED;
                m.subsidedAt = null;
                m.log(at, texts.t("timeline.merged", action.into(), action.by(), action.note()));
            }
            case SET_LEVEL -> m.log(at, texts.t("timeline.level-set", texts.level(action.level()), action.by(), action.note()));
            case CLEAR_LEVEL -> m.log(at, texts.t("timeline.level-cleared", action.by()));
            case SILENCE, UNSILENCE -> { } // the stage keeps silences; they name no case
        }
        return w.done();
    }

    /** A timer of the case, at its due instant; it does what it still applies to. */
    public Step fired(Case before, Timer timer, Silences silences) {
        Work w = new Work(before, silences);
        w.m.disarm(timer);
        Instant at = timer.due();
        switch (timer.kind()) {
            case CHECKPOINT -> checkpoint(w, timer, at);
            case REMINDER -> remind(w, timer, at);
            case OVERDUE -> overdue(w, timer, at);
            case OFFICE -> office(w, timer, at);
            case BULLETIN -> bulletin(w, timer, at);
            case AFTERCARE -> aftercareOver(w, timer, at);
        }
        return w.done();
    }

    // ---- level changes -------------------------------------------------------------------------------------------

    private void rise(Work w, Level from, Level to, Level peakBefore, Instant at) {
        Case.Builder m = w.m;
        Level relapseLevel = settings.relapse().level();
        if (m.reopened) {
            if (to.compareTo(relapseLevel) < 0) {
                return; // a subsided case's activity below the relapse level: the daily report only
            }
            m.reopened = false;
            if (peakBefore.compareTo(relapseLevel) >= 0) {
                if (to.compareTo(Level.MAJOR) >= 0) {
                    m.reviewed = false; // a major relapse is a new event: it gets its own review when it subsides
                }
                if (open(m, Duty.REVIEW_RELAPSE) == null) {
                    give(w, at, List.of(Duty.REVIEW_RELAPSE), texts.t("reason.relapse", texts.level(to)), false, null);
                }
            }
        }
        if (to.compareTo(Level.MAJOR) >= 0) {
            if (from.compareTo(Level.MAJOR) < 0) {
                startBulletins(w, at);
            }
            if (m.procedure.compareTo(Level.MAJOR) < 0) {
                m.spell++;
            }
            m.procedure = to.isAbove(m.procedure) ? to : m.procedure;
            majorDuties(w, to, at, texts.t("reason.rise", texts.level(to)), true);
            releaseHeld(w, at, texts.t("reason.rise", texts.level(to)));
        } else if (to == Level.GENERAL && m.procedure.compareTo(Level.GENERAL) < 0) {
            m.procedure = Level.GENERAL;
            give(w, at, plan.generalAtOnce(), texts.t("reason.general"), false, null);
            List<Duty> next = plan.generalOnceForwarded(m.categories).stream()
                    .filter(d -> given(m, d, Level.GENERAL) == null && m.duties.stream()
                            .noneMatch(x -> x.state() == DutyState.State.WAITING && x.duty().equals(d.key())))
                    .toList();
            if (open(m, Duty.TRIAGE_AND_FORWARD) != null) {
                next.forEach(d -> m.duties.add(new DutyState(d.key(), d.role(), Level.GENERAL, m.spell, null, null, null, null,
                        DutyState.State.WAITING, null, null, false, false)));
            } else {
                give(w, at, next, texts.t("reason.general"), false, null); // triaged in an earlier episode: at once
            }
        } else if (to == Level.MINOR && m.procedure == Level.NONE) {
            m.procedure = Level.MINOR; // the daily report tells the office of it
        }
    }

    /**
     * The major procedure at {@code level}: supersedes the GENERAL duties still open and the reports of a lower level
     * of this spell, and gives what is new, one notification per role.
     */
    private void majorDuties(Work w, Level level, Instant at, String reason, boolean entry) {
        Case.Builder m = w.m;
        for (int i = 0; i < m.duties.size(); i++) {
            DutyState d = m.duties.get(i);
            Duty duty = Duty.of(d.duty()).orElseThrow();
            boolean lowerReport = duty.isReport() && d.spell() == m.spell && d.level().compareTo(level) < 0;
            if ((d.isOpen() || d.state() == DutyState.State.WAITING) && (ResponsePlan.supersededByMajor(duty) || lowerReport)) {
                m.duties.set(i, d.closed(DutyState.State.SUPERSEDED, at, null));
            }
        }
        List<Duty> duties = new ArrayList<>(plan.major(level, m.categories));
        // What still waited for the triage and does not give way to the major procedure goes with it.
        m.duties.stream().filter(d -> d.state() == DutyState.State.WAITING).map(d -> Duty.of(d.duty()).orElseThrow())
                .filter(d -> !duties.contains(d)).forEach(duties::add);
        m.duties.removeIf(d -> d.state() == DutyState.State.WAITING);
        give(w, at, duties, reason, entry, level);
    }

    /**
     * MAJOR and CRITICAL always go at once: the duties of the case that quiet hours still hold (given while the
     * incident was below MAJOR, the major procedure's too when growth or a forecast started it at night) are
     * withdrawn from their digest and sent now, with their deadlines counted from now.
     */
    private void releaseHeld(Work w, Instant at, String reason) {
        Case.Builder m = w.m;
        Map<String, List<DutyState>> held = new LinkedHashMap<>();
        m.duties.stream().filter(d -> d.isOpen() && d.start() != null && d.start().isAfter(at))
                .forEach(d -> held.computeIfAbsent(d.notificationId(), k -> new ArrayList<>()).add(d));
        List<Duty> again = new ArrayList<>();
        held.values().forEach(group -> {
            w.out.add(Output.DeskEntry.withdrawn(w.id(), group.get(0).notificationId(), group.get(0).role(), group.get(0).start(), at));
            group.forEach(d -> again.add(Duty.of(d.duty()).orElseThrow()));
        });
        m.duties.removeIf(d -> held.containsKey(d.notificationId()) && d.isOpen());
        if (!again.isEmpty()) {
            give(w, at, again, reason, true, m.procedure);
        }
    }

    /** A GENERAL incident that really keeps growing, or is forecast to become MAJOR, is handled by the major procedure. */
    private void majorProcedure(Work w, Instant at, String why) {
        Case.Builder m = w.m;
        m.spell++;
        m.procedure = Level.MAJOR;
        m.log(at, texts.t("timeline.major-procedure", why));
        majorDuties(w, Level.MAJOR, at, texts.t("reason.major-procedure", why), false);
    }

    /**
     * Subsided: tracking ends, and the standing instructions with it; a case that needed a response (GENERAL or
     * above) and has not been reviewed gets its aftercare, then the review. One that joined another incident goes on
     * there: it closes.
     */
    private void subsided(Work w, Instant at, boolean joined) {
        Case.Builder m = w.m;
        m.round = null;
        m.bulletins = null;
        m.procedure = Level.NONE;
        m.reopened = false;
        m.outlook = m.outlook.withTrend(null, null);
        closeAll(w, DutyState.State.CLOSED, at, null, d -> Duty.of(d.duty()).orElseThrow().deadline() == Duty.Deadline.NONE);
        m.log(at, texts.t("timeline.subsided"));
        if (joined) {
            m.status = Case.Status.MERGED;
        } else if (m.peak.compareTo(Level.GENERAL) >= 0 && !m.reviewed) {
            m.status = Case.Status.AFTERCARE;
            m.subsidedAt = at;
            w.arm(new Timer(Timer.Kind.AFTERCARE, w.id(), at.plus(settings.aftercare()), at, 0, null));
        } else {
            m.status = Case.Status.CLOSED;
        }
    }

    // ---- actions -----------------------------------------------------------------------------------------------

    /** A duty done: that duty only. The office's triage done gives what waited for it. */
    private void done(Work w, String key, Instant at, String by, String note) {
        Case.Builder m = w.m;
        boolean any = false;
        for (int i = 0; i < m.duties.size(); i++) {
            DutyState d = m.duties.get(i);
            if (d.isOpen() && d.duty().equals(key)) {
                m.duties.set(i, d.closed(DutyState.State.DONE, at, by));
                any = true;
            }
        }
        m.log(at, texts.t("timeline.action", by, Duty.of(key).map(d -> texts.duty(d, settings.reporting().county(), settings.trackingEvery()))
                .orElse(key)) + (note == null || note.isBlank() ? "" : " (" + note + ")") + (any ? "" : " —"));
        if (any && key.equals(Duty.TRIAGE_AND_FORWARD.key())) {
            List<Duty> waiting = m.duties.stream().filter(d -> d.state() == DutyState.State.WAITING)
                    .map(d -> Duty.of(d.duty()).orElseThrow()).toList();
            m.duties.removeIf(d -> d.state() == DutyState.State.WAITING);
            give(w, at, waiting, texts.t("reason.forwarded"), false, null);
        }
    }

    private void closeAll(Work w, DutyState.State to, Instant at, String by, Predicate<DutyState> which) {
        Case.Builder m = w.m;
        m.duties.removeIf(d -> d.state() == DutyState.State.WAITING && which.test(d)); // never given: nothing to close
        for (int i = 0; i < m.duties.size(); i++) {
            DutyState d = m.duties.get(i);
            if (d.isOpen() && which.test(d)) {
                m.duties.set(i, d.closed(to, at, by));
            }
        }
    }

    private static String note(Action action) {
        return action.note().isBlank() ? "" : ": " + action.note();
    }

    // ---- giving duties -----------------------------------------------------------------------------------------

    /** The duty of that key given in this case (for a report: in this spell at this procedure level), or null. */
    private static DutyState given(Case.Builder m, Duty duty, Level level) {
        for (DutyState d : m.duties) {
            if (d.duty().equals(duty.key()) && d.state() != DutyState.State.WAITING
                    && (!duty.isReport() || d.spell() == m.spell && d.level() == level)) {
                return d;
            }
        }
        return null;
    }

    private static DutyState open(Case.Builder m, Duty duty) {
        return m.duties.stream().filter(d -> d.isOpen() && d.duty().equals(duty.key())).findFirst().orElse(null);
    }

    /**
     * Gives the duties not given before in this case (the reviews are given each time they are due), one
     * notification per role, in the plan's order.
     *
     * @param entry whether this is the entry of the incident to a level of the major procedure: never silenced
     * @param procedure the procedure level the duties belong to, or null for the incident's level
     */
    private void give(Work w, Instant at, List<Duty> duties, String reason, boolean entry, Level procedure) {
        give(w, at, duties, reason, entry, procedure, null);
    }

    private void give(Work w, Instant at, List<Duty> duties, String reason, boolean entry, Level procedure, String report) {
        Case.Builder m = w.m;
        Level dutyLevel = procedure != null ? procedure : m.level;
        Map<Role, List<Duty>> byRole = new LinkedHashMap<>();
        for (Duty d : duties) {
            boolean again = d == Duty.REVIEW || d == Duty.REVIEW_RELAPSE;
            if (again || given(m, d, dutyLevel) == null) {
                List<Duty> list = byRole.computeIfAbsent(d.role(), r -> new ArrayList<>());
                if (!list.contains(d)) {
                    list.add(d);
                }
            }
        }
        byRole.forEach((role, list) -> {
            Instant start = hours.deliverAt(role, m.level, at);
            Map<String, Instant> deadlines = new LinkedHashMap<>();
            list.forEach(d -> {
                Instant due = plan.due(d, start);
                if (due != null) {
                    deadlines.put(d.key(), due);
                }
            });
            String id = NamedIds.of(w.id() + "|duties|" + role + "|" + at.toEpochMilli() + "|"
                    + String.join(",", list.stream().map(Duty::key).toList()));
            String text = texts.story(m.level, m.rootPost, m.metrics, window) + "\n" + reason + "\n" + texts.t("role.asked", settings.nameOf(role))
                    + "\n" + lines(list, deadlines);
            Notification n = notification(w, id, Notification.Kind.DUTIES, role, list.stream().map(Duty::key).toList(), deadlines, text, at, report);
            send(w, n, start, entry);
            for (Duty d : list) {
                Instant due = deadlines.get(d.key());
                m.duties.add(new DutyState(d.key(), role, dutyLevel, m.spell, at, start, due, id, DutyState.State.OPEN, null, null, false, false));
            }
            armDeadlines(w, id, start, deadlines);
        });
    }

    /** One reminder, overdue notice and (in a replay) simulated action per deadline of a notification. */
    private void armDeadlines(Work w, String notificationId, Instant start, Map<String, Instant> deadlines) {
        deadlines.values().stream().distinct().forEach(due -> {
            Instant remindAt = due.minus(settings.remindBefore());
            if (remindAt.isAfter(start)) {
                w.arm(new Timer(Timer.Kind.REMINDER, w.id(), remindAt, due, 0, notificationId));
            }
            w.arm(new Timer(Timer.Kind.OVERDUE, w.id(), due, due, 0, notificationId));
            switch (settings.office()) {
                case ON_TIME -> w.arm(new Timer(Timer.Kind.OFFICE, w.id(), start.plus(Duration.between(start, due).dividedBy(2)), due, 0, notificationId));
                case LATE -> w.arm(new Timer(Timer.Kind.OFFICE, w.id(), due.plus(LATE_BY), due, 0, notificationId));
                case ABSENT -> { }
            }
        });
    }

    private String lines(List<Duty> duties, Map<String, Instant> deadlines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < duties.size(); i++) {
            Duty d = duties.get(i);
            Instant due = deadlines.get(d.key());
            s.append(i == 0 ? "" : "\n").append(texts.t("list.item", i + 1, texts.duty(d, settings.reporting().county(), settings.trackingEvery()),
                    due == null ? "" : texts.t("deadline", texts.time(due))));
        }
        return s.toString();
    }

    private Notification notification(Work w, String id, Notification.Kind kind, Role role, List<String> duties, Map<String, Instant> deadlines,
                                      String text, Instant at, String report) {
        Case.Builder m = w.m;
        Instant due = deadlines.values().stream().min(Instant::compareTo).orElse(null);
        return new Notification(id, kind, w.id(), null, m.subject, m.level, role, duties, deadlines, text, at, due, null,
                m.rootPost, m.metrics, report);
    }

    /**
     * Sends a notification, or holds it for the desk's digest when its role's quiet hours hold it, or leaves it
     * unsent under a silence (never an entry to MAJOR or CRITICAL); either way the case's timeline says so.
     */
    private void send(Work w, Notification n, Instant deliverAt, boolean entry) {
        Case.Builder m = w.m;
        Action.Silence silence = entry ? null : w.silences.covering(w.id(), m.subject, n.role(), n.at());
        if (silence != null) {
            m.log(n.at(), texts.t("timeline.silenced", silence.id(), whoWhat(n)));
        } else if (deliverAt.isAfter(n.at())) {
            Notification held = new Notification(n.id(), n.kind(), n.incidentId(), null, n.subject(), n.level(), n.role(), n.duties(),
                    n.deadlines(), n.instructions(), n.at(), n.due(), deliverAt, n.rootPost(), n.metrics(), n.report());
            w.out.add(Output.DeskEntry.held(held));
            m.log(n.at(), texts.t("timeline.held", texts.stamp(deliverAt), whoWhat(n)));
        } else {
            w.out.add(new Output.Notify(n));
        }
    }

    /** A notification for a case's timeline: the role's name, and its duties in the plan's words. */
    private String whoWhat(Notification n) {
        return texts.t("timeline.who", settings.nameOf(n.role()), String.join(texts.t("list.separator"), n.duties().stream()
                .map(k -> Duty.of(k).map(d -> texts.duty(d, settings.reporting().county(), settings.trackingEvery())).orElse(k)).toList()));
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    private void checkpoint(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        Case.Round round = m.round;
        if (round == null || !round.start().equals(timer.start()) || round.nextSequence() != timer.sequence()) {
            return; // a newer round replaced it, or the incident subsided
        }
        WindowMetrics now = m.metrics != null ? m.metrics : round.lastMetrics();
        TrackingCheckpoint checkpoint = schedule.checkpoint(w.id(), m.level, round.start(), round.nextSequence(), now, round.lastMetrics());
        w.out.add(new Output.Track(checkpoint));
        m.round = round.next(now);
        boolean major = false;
        if (checkpoint.sequence() % schedule.checkpointsPerRound() == 0) {
            if (m.level == Level.GENERAL && m.procedure.compareTo(Level.MAJOR) < 0 && m.status == Case.Status.OPEN
                    && grewOverPeriod(round.periodStart(), now)) {
                majorProcedure(w, at, texts.t("reason.growth", texts.duration(settings.trackingFor()), Math.round(settings.growth().share() * 100)));
                major = true;
            }
            m.round = m.round.newPeriod(now);
        }
        risingAgain(w, checkpoint.trend(), now, at, major);
        tracked(w, at);
        if (schedule.hasCheckpoint(m.round.nextSequence(), m.level, checkpoint.trend())) {
            w.arm(new Timer(Timer.Kind.CHECKPOINT, w.id(), schedule.due(round.start(), m.round.nextSequence()), round.start(),
                    m.round.nextSequence(), null));
        }
    }

    /**
     * A trend that turns up again after falling: once a checkpoint saw the incident fall, the lowest counts since are
     * kept, and a rise from them that means something ({@link #grewOverPeriod}) is one notice to the role leading an
     * incident of GENERAL or above (unless growth just put it on the major procedure, which tells more). Then it must
     * fall again before another. Every other checkpoint is for the duty board and the daily report only.
     */
    private void risingAgain(Work w, TrackingCheckpoint.Trend trend, WindowMetrics now, Instant at, boolean majorProcedureStarted) {
        Case.Builder m = w.m;
        WindowMetrics trough = m.outlook.trough();
        if (trend == TrackingCheckpoint.Trend.FALLING || trough != null) {
            trough = trough == null ? now : new WindowMetrics(Math.min(trough.views(), now.views()), Math.min(trough.comments(), now.comments()),
                    Math.min(trough.outlets(), now.outlets()));
        }
        if (trend == TrackingCheckpoint.Trend.RISING && trough != null && grewOverPeriod(trough, now)) {
            if (!majorProcedureStarted && m.status == Case.Status.OPEN && m.level.compareTo(Level.GENERAL) >= 0) {
                notice(w, Duty.REASSESS_RISE, at, texts.t("reason.rising-again", texts.duration(window), now.views(), now.comments(),
                        trough.views(), trough.comments()));
            }
            trough = null;
        }
        m.outlook = m.outlook.withTrend(trend, trough);
    }

    /**
     * Growth that means something: views or comments rose over the period by at least the configured share of what
     * they were, and by at least that share of the MAJOR threshold, so that one more view is never growth.
     */
    boolean grewOverPeriod(WindowMetrics start, WindowMetrics now) {
        double share = settings.growth().share();
        WindowMetrics base = start == null ? WindowMetrics.ZERO : start;
        return grew(base.views(), now.views(), share, major.views()) || grew(base.comments(), now.comments(), share, major.comments());
    }

    private static boolean grew(long before, long now, double share, long majorThreshold) {
        long rise = now - before;
        return rise > 0 && rise >= share * before && rise >= share * majorThreshold;
    }

    /** A reminder to the role of the duties of one notification and deadline that are still open: once per duty. */
    private void remind(Work w, Timer timer, Instant at) {
        List<DutyState> due = dueGroup(w, timer, d -> !d.reminded());
        if (due.isEmpty()) {
            return;
        }
        Role role = due.get(0).role();
        markAll(w, due, DutyState::withReminder);
        sendAbout(w, NamedIds.of(timer.notificationId() + "|reminder|" + timer.start().toEpochMilli()), Notification.Kind.REMINDER, role,
                due, at, texts.t("kind.reminder", texts.time(timer.start())));
    }

    /** The overdue notice to the role above, of the duties of one notification and deadline still open: once per duty. */
    private void overdue(Work w, Timer timer, Instant at) {
        List<DutyState> due = dueGroup(w, timer, d -> !d.overdue());
        if (due.isEmpty()) {
            return;
        }
        Role role = due.get(0).role();
        Role above = settings.escalationOf(role);
        markAll(w, due, DutyState::withOverdue);
        w.m.log(at, texts.t("timeline.overdue", texts.t("timeline.who", settings.nameOf(role), String.join(texts.t("list.separator"), due.stream()
                .map(d -> texts.duty(Duty.of(d.duty()).orElseThrow(), settings.reporting().county(), settings.trackingEvery())).toList())),
                settings.nameOf(above)));
        sendAbout(w, NamedIds.of(timer.notificationId() + "|overdue|" + timer.start().toEpochMilli()), Notification.Kind.OVERDUE, above,
                due, at, texts.t("kind.overdue", settings.nameOf(role)));
    }

    /** The simulated office does the duties of one notification and deadline that are still open. */
    private void office(Work w, Timer timer, Instant at) {
        for (DutyState d : dueGroup(w, timer, d -> true)) {
            Action action = Action.done(w.id(), d.duty(), texts.t("office.simulated", settings.nameOf(d.role())), "", at);
            w.out.add(new Output.Act(action));
            w.m.firstTime(action.id());
            done(w, d.duty(), at, action.by(), "");
        }
    }

    private static List<DutyState> dueGroup(Work w, Timer timer, Predicate<DutyState> also) {
        return w.m.duties.stream().filter(d -> d.isOpen() && timer.notificationId().equals(d.notificationId())
                && timer.start().equals(d.due()) && also.test(d)).toList();
    }

    private static void markAll(Work w, List<DutyState> which, java.util.function.UnaryOperator<DutyState> change) {
        for (int i = 0; i < w.m.duties.size(); i++) {
            if (which.contains(w.m.duties.get(i))) {
                w.m.duties.set(i, change.apply(w.m.duties.get(i)));
            }
        }
    }

    /** A reminder or overdue notice: the story, why, and the duties with their deadlines. */
    private void sendAbout(Work w, String id, Notification.Kind kind, Role role, List<DutyState> duties, Instant at, String why) {
        Case.Builder m = w.m;
        Map<String, Instant> deadlines = new LinkedHashMap<>();
        duties.forEach(d -> deadlines.put(d.duty(), d.due()));
        List<Duty> list = duties.stream().map(d -> Duty.of(d.duty()).orElseThrow()).toList();
        String text = texts.story(m.level, m.rootPost, m.metrics, window) + "\n" + why + "\n" + lines(list, deadlines);
        send(w, notification(w, id, kind, role, list.stream().map(Duty::key).toList(), deadlines, text, at, null),
                hours.deliverAt(role, m.level, at), false);
    }

    /**
     * One notification to the role that leads the incident (the leadership group on the major procedure, the office
     * below it) of what tracking or a forecast found that changes what people expect: why, and what it asks. Nothing
     * for the case to close; its timeline says so.
     */
    private void notice(Work w, Duty about, Instant at, String why) {
        Case.Builder m = w.m;
        Role role = m.procedure.compareTo(Level.MAJOR) >= 0 || m.level.compareTo(Level.MAJOR) >= 0 ? Role.LEADERSHIP_GROUP : Role.OFFICE;
        String id = NamedIds.of(w.id() + "|" + about.key() + "|" + at.toEpochMilli());
        String text = texts.story(m.level, m.rootPost, m.metrics, window) + "\n" + why + "\n" + texts.t("role.asked", settings.nameOf(role))
                + "\n" + lines(List.of(about), Map.of());
        m.log(at, why);
        send(w, notification(w, id, Notification.Kind.DUTIES, role, List.of(about.key()), Map.of(), text, at, null),
                hours.deliverAt(role, m.level, at), false);
    }

    /**
     * A checkpoint or forecast for the daily report, which shows only each incident's latest of its period: the case
     * holds it, and sends the desk the one it held before when that one belongs to an earlier report.
     */
    private void tracked(Work w, Instant at) {
        Output.DeskEntry held = w.m.unreported;
        if (held != null && reports.reportCovering(held.at()).isBefore(reports.reportCovering(at))) {
            w.out.add(held);
        }
        w.m.unreported = deskEntry(w, at, true); // inputs come in event-time order: never before the one held
    }

    /** The daily report the case's held checkpoint or forecast is for; null when it holds none. */
    public Instant unreportedDue(Case c) {
        return c.unreported() == null ? null : reports.reportCovering(c.unreported().at());
    }

    /** The report the case's held checkpoint or forecast is for is due: it goes to the desk now. */
    public Step reportDue(Case before) {
        Work w = new Work(before, Silences.NONE);
        if (w.m.unreported != null) {
            w.out.add(w.m.unreported);
            w.m.unreported = null;
        }
        return w.done();
    }

    /** The incident as the desk's daily report shows it: a level change, or ({@code tracked}) a checkpoint or forecast. */
    private static Output.DeskEntry deskEntry(Work w, Instant at, boolean tracked) {
        Case.Builder m = w.m;
        return Output.DeskEntry.of(w.id(), m.subject, m.rootPost, m.level, m.metrics, m.outlook.trend(), m.outlook.forecast(), at, tracked);
    }

    private void startBulletins(Work w, Instant at) {
        Case.Builder m = w.m;
        m.bulletins = new Case.Round(at, 1, m.metrics != null ? m.metrics : WindowMetrics.ZERO, null);
        w.arm(new Timer(Timer.Kind.BULLETIN, w.id(), nextBulletin(at), at, 1, null));
    }

    /** The first bulletin time after {@code after}: the configured local time and every period after it. */
    Instant nextBulletin(Instant after) {
        ZonedDateTime local = after.atZone(zone);
        LocalDate day = local.toLocalDate().minusDays(1);
        ZonedDateTime t = day.atTime(settings.bulletins().at()).atZone(zone);
        while (!t.toInstant().isAfter(after)) {
            t = t.plus(settings.bulletins().every());
        }
        return t.toInstant();
    }

    private void bulletin(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        Case.Round b = m.bulletins;
        if (b == null || !b.start().equals(timer.start()) || b.nextSequence() != timer.sequence() || m.level.compareTo(Level.MAJOR) < 0) {
            return; // a later spell's, or it fell below MAJOR (the closing bulletin went then)
        }
        WindowMetrics now = m.metrics != null ? m.metrics : b.lastMetrics();
        String report = reports.bulletin(b.nextSequence(), false, m.rootPost, m.level, at, window, now, now.minus(b.lastMetrics()), openDuties(m));
        String id = NamedIds.of(w.id() + "|bulletin|" + b.start().toEpochMilli() + "|" + b.nextSequence());
        String text = texts.story(m.level, m.rootPost, now, window) + "\n" + texts.t("kind.bulletin", b.nextSequence());
        send(w, notification(w, id, Notification.Kind.BULLETIN, Duty.BULLETIN.role(), List.of(Duty.BULLETIN.key()), Map.of(), text, at, report), at, false);
        m.bulletins = b.next(now);
        w.arm(new Timer(Timer.Kind.BULLETIN, w.id(), nextBulletin(at), b.start(), m.bulletins.nextSequence(), null));
    }

    /** The closing bulletin, when the incident falls below MAJOR: bulletins of this spell end. */
    private void closingBulletin(Work w, Instant at) {
        Case.Builder m = w.m;
        Case.Round b = m.bulletins;
        WindowMetrics now = m.metrics != null ? m.metrics : WindowMetrics.ZERO;
        WindowMetrics last = b == null ? now : b.lastMetrics();
        String report = reports.bulletin(b == null ? 1 : b.nextSequence(), true, m.rootPost, m.level, at, window, now, now.minus(last), openDuties(m));
        String id = NamedIds.of(w.id() + "|closing-bulletin|" + at.toEpochMilli());
        String text = texts.story(m.level, m.rootPost, now, window) + "\n" + texts.t("kind.closing-bulletin", texts.level(m.level));
        send(w, notification(w, id, Notification.Kind.BULLETIN, Duty.CLOSING_BULLETIN.role(), List.of(Duty.CLOSING_BULLETIN.key()), Map.of(),
                text, at, report), hours.deliverAt(Duty.CLOSING_BULLETIN.role(), m.level, at), false);
        m.bulletins = null;
    }

    private static List<DutyState> openDuties(Case.Builder m) {
        return m.duties.stream().filter(d -> d.isOpen() && d.due() != null).toList();
    }

    /** The aftercare ended without a relapse: the review is due, with the case's timeline and response times. */
    private void aftercareOver(Work w, Timer timer, Instant at) {
        Case.Builder m = w.m;
        if (m.status != Case.Status.AFTERCARE || m.subsidedAt == null || !m.subsidedAt.equals(timer.start())) {
            return; // it reopened, or people closed it
        }
        m.subsidedAt = null;
        m.status = Case.Status.CLOSED;
        m.reviewed = true;
        m.log(at, texts.t("timeline.aftercare"));
        give(w, at, List.of(Duty.REVIEW), texts.t("reason.review"), false, null, reports.review(m.build(), timer.start()));
    }
}
