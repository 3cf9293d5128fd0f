package org.opinionwatch.escalation.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;

/** The plan as a state machine, without Kafka: a case, an input, the step that comes out. */
class CasePlanTest {
    static final OpinionWatchConfig DEFAULTS = ConfigLoader.load(null, Map.of());
    /** Monday 10:00 in Beijing: office hours. */
    static final Instant T0 = Instant.parse("2024-06-03T02:00:00Z");
    /** Monday 23:00 in Beijing: quiet hours. */
    static final Instant NIGHT = Instant.parse("2024-06-03T15:00:00Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "食堂饭菜有问题");

    /** Feeds a plan its inputs as the processor does: timers due before an input fire first, in due order. */
    static final class Run {
        final CasePlan plan;
        Case c = Case.fresh("inc-1");
        final TreeMap<String, Timer> timers = new TreeMap<>();
        final List<Output> out = new ArrayList<>();
        Silences silences = Silences.NONE;

        Run(OpinionWatchConfig config) {
            plan = new CasePlan(config);
        }

        Run() {
            this(DEFAULTS);
        }

        void apply(Step step) {
            c = step.after();
            out.addAll(step.outputs());
            step.timers().forEach(t -> timers.put(t.key(), t));
            assertEquals(java.util.Set.copyOf(timers.values()), java.util.Set.copyOf(c.timers()),
                    "the case holds every timer armed and not yet fired, and no other");
        }

        /** Fires every timer due before {@code at} (and those they arm), earliest first. */
        Run until(Instant at) {
            while (!timers.isEmpty() && timers.firstEntry().getValue().due().isBefore(at)) {
                apply(plan.fired(c, timers.pollFirstEntry().getValue(), silences));
            }
            return this;
        }

        Run change(Level from, Level to, Instant at) {
            return change(from, to, at, new WindowMetrics(900, 100, 0), List.of("complaint"));
        }

        Run change(Level from, Level to, Instant at, WindowMetrics metrics, List<String> categories) {
            until(at);
            apply(plan.levelChanged(c, new SeverityChange("inc-1", "canteen", from, to, List.of("comments>=100"), metrics,
                    Duration.ofHours(24), at, at, ROOT, List.of(ROOT), categories, List.of()), silences));
            return this;
        }

        Run metrics(WindowMetrics m, Instant at) {
            until(at);
            c = c.withMetrics(m, at);
            return this;
        }

        Run act(Action a) {
            until(a.at());
            apply(plan.acted(c, a, silences));
            return this;
        }

        Run done(String duty, Instant at) {
            return act(Action.done("inc-1", duty, "王老师", "", at));
        }

        List<Notification> sent() {
            return out.stream().filter(o -> o.channel() == Output.Channel.NOTIFICATIONS).map(o -> ((Output.Notify) o).notification()).toList();
        }

        List<Notification> held() {
            return out.stream().filter(o -> o.channel() == Output.Channel.DESK).map(o -> ((Output.DeskEntry) o).held())
                    .filter(n -> n != null).toList();
        }

        /** Sent notifications as "ROLE kind duty,duty". */
        List<String> lines() {
            return sent().stream().map(CasePlanTest::line).toList();
        }

        void clear() {
            out.clear();
        }
    }

    static String line(Notification n) {
        return n.role() + " " + n.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + String.join(",", n.duties());
    }

    static OpinionWatchConfig with(Map<String, String> env) {
        return ConfigLoader.load(null, env);
    }

    @Test
    void aCaseHoldsItsPendingTimersUntilTheyFire() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        List<Timer.Kind> armed = r.c.timers().stream().map(Timer::kind).distinct().sorted().toList();
        assertEquals(List.of(Timer.Kind.CHECKPOINT, Timer.Kind.REMINDER, Timer.Kind.OVERDUE, Timer.Kind.BULLETIN), armed);
        Instant later = T0.plus(Duration.ofHours(30));
        r.until(later);
        assertFalse(r.c.timers().isEmpty(), "the round and the bulletins go on");
        assertTrue(r.c.timers().stream().noneMatch(t -> t.due().isBefore(later)), "fired ones left it: " + r.c.timers());
    }

    // ---- one notification per role per decision --------------------------------------------------------------

    @Test
    void generalAsksTheOfficeToTriageAndTheDepartmentHearsOnceItIsForwarded() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        assertEquals(List.of("OFFICE duties triage-and-forward"), r.lines());
        assertEquals(Map.of("triage-and-forward", T0.plus(Duration.ofHours(2))), r.sent().get(0).deadlines());
        assertEquals(T0.plus(Duration.ofHours(2)), r.sent().get(0).due());
        r.clear();

        Instant forwarded = T0.plus(Duration.ofMinutes(40));
        r.done("triage-and-forward", forwarded);
        assertEquals(List.of("DEPARTMENT duties respond,reply-same-day"), r.lines(), "one notification with both of its duties");
        assertEquals(forwarded.plus(Duration.ofDays(1)), r.sent().get(0).deadlines().get("respond"));
    }

    @Test
    void enteringMajorGivesOneNotificationToEachRoleOfTheProcedureAndSupersedesGeneral() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.clear();
        r.change(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofMinutes(20)), new WindowMetrics(1500, 120, 0), List.of("rumour"));
        assertEquals(List.of(
                "LEADERSHIP_GROUP duties report-to-leadership,report-to-county,decide-report-to-superior-authority,convene-emergency-meeting",
                "DEPARTMENT duties investigate-facts",
                "SPOKESPERSON duties speak-with-one-voice,publish-facts",
                "OFFICE duties track-continuously"), r.lines());
        Notification leadership = r.sent().get(0);
        assertEquals(T0.plus(Duration.ofMinutes(50)), leadership.deadlines().get("report-to-leadership"), "at once: within escalation.atOnce");
        assertEquals(T0.plus(Duration.ofMinutes(140)), leadership.deadlines().get("decide-report-to-superior-authority"));
        assertTrue(r.c.duties().stream().anyMatch(d -> d.duty().equals("triage-and-forward") && d.state() == Case.DutyState.State.SUPERSEDED));
        assertTrue(r.c.duties().stream().noneMatch(d -> d.state() == Case.DutyState.State.WAITING), "nothing waits for a triage that is moot");
    }

    @Test
    void criticalFromMajorSendsOnlyTheReportsOfTheNewLevel() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.clear();
        r.change(Level.MAJOR, Level.CRITICAL, T0.plus(Duration.ofMinutes(10)));
        r.act(Action.of("inc-1", Action.Kind.RESOLVE, "校办", "", T0.plus(Duration.ofMinutes(11))));
        assertEquals(List.of("LEADERSHIP_GROUP duties report-to-leadership,report-to-county,decide-report-to-superior-authority"), r.lines());
        assertEquals(Level.CRITICAL, r.sent().get(0).level());
        long superseded = r.c.duties().stream().filter(d -> d.state() == Case.DutyState.State.SUPERSEDED && d.level() == Level.MAJOR).count();
        assertEquals(3, superseded, "the MAJOR reports still open give way to the CRITICAL ones");
        r.clear();
        r.change(Level.CRITICAL, Level.MAJOR, T0.plus(Duration.ofHours(7)));
        r.change(Level.MAJOR, Level.CRITICAL, T0.plus(Duration.ofHours(8)));
        assertEquals(List.of(), r.lines(), "back and forth within MAJOR and CRITICAL: nothing new");
    }

    @Test
    void aReEntryToMajorAfterAFallReportsAgainButRepeatsNothingElse() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.act(Action.of("inc-1", Action.Kind.RESOLVE, "校办", "", T0.plusSeconds(1)));
        r.change(Level.MAJOR, Level.GENERAL, T0.plus(Duration.ofHours(2)));
        r.clear();
        r.change(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofHours(5)));
        assertEquals(List.of("LEADERSHIP_GROUP duties report-to-leadership,report-to-county,decide-report-to-superior-authority"), r.lines());
    }

    @Test
    void theReportingChainIsConfiguration() {
        Run r = new Run(with(Map.of("OW_ESCALATION_REPORTING_LEVELS_MAJOR_SUPERIOR_AUTHORITY", "AT_ONCE",
                "OW_ESCALATION_REPORTING_LEVELS_MAJOR_COUNTY", "NONE", "OW_ESCALATION_REPORTING_LEVELS_MAJOR_INVESTIGATE", "false")));
        r.change(Level.NONE, Level.MAJOR, T0);
        assertEquals(List.of("LEADERSHIP_GROUP duties report-to-leadership,convene-emergency-meeting",
                "SUPERIOR_AUTHORITY duties report-to-superior-authority",
                "SPOKESPERSON duties speak-with-one-voice", "OFFICE duties track-continuously"), r.lines());
    }

    // ---- reminders and overdue notices -------------------------------------------------------------------------

    @Test
    void aDutyIsRemindedOnceWhenItsDeadlineLeavesTimeAndOverdueOnceToTheRoleAbove() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.clear();
        r.until(T0.plus(Duration.ofHours(30)));
        assertEquals(List.of("OFFICE reminder triage-and-forward", "LEADERSHIP_GROUP overdue triage-and-forward"), r.lines());
        assertEquals(T0.plus(Duration.ofMinutes(90)), r.sent().get(0).at());
        assertEquals(T0.plus(Duration.ofHours(2)), r.sent().get(1).at());
    }

    @Test
    void aDutyDueAtOnceGetsNoReminder() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.clear();
        r.until(T0.plus(Duration.ofMinutes(31)));
        assertEquals(List.of("SUPERIOR_AUTHORITY overdue report-to-leadership,report-to-county,convene-emergency-meeting"), r.lines(),
                "due within the reminder lead: no reminder; the three due at once are overdue in one notice");
    }

    @Test
    void aDoneDutyIsNeitherRemindedNorOverdueAndAnActionClosesItsDutyOnly() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.done("convene-emergency-meeting", T0.plus(Duration.ofMinutes(5)));
        assertTrue(r.c.duties().stream().filter(d -> d.duty().equals("report-to-leadership")).allMatch(Case.DutyState::isOpen),
                "the meeting convened does not acknowledge the report");
        r.clear();
        r.until(T0.plus(Duration.ofMinutes(31)));
        assertEquals(List.of("SUPERIOR_AUTHORITY overdue report-to-leadership,report-to-county"), r.lines());
    }

    @Test
    void resolveClosesEveryOpenDutyAndAnActionReadTwiceCountsOnce() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        Action resolve = Action.of("inc-1", Action.Kind.RESOLVE, "校办", "", T0.plus(Duration.ofMinutes(5)));
        r.act(resolve);
        int lines = r.c.timeline().size();
        r.act(resolve);
        assertEquals(lines, r.c.timeline().size(), "the same action again changes nothing");
        r.clear();
        r.until(T0.plus(Duration.ofDays(2)));
        assertTrue(r.lines().stream().noneMatch(l -> l.contains("reminder") || l.contains("overdue")), r.lines().toString());
    }

    // ---- bulletins ---------------------------------------------------------------------------------------------

    @Test
    void bulletinsGoDailyAtTheirTimeWhileMajorThenOneClosingBulletin() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.act(Action.of("inc-1", Action.Kind.RESOLVE, "校办", "", T0.plusSeconds(1)));
        r.clear();
        Instant fall = Instant.parse("2024-06-05T06:00:00Z"); // Wednesday 14:00 in Beijing
        r.change(Level.MAJOR, Level.GENERAL, fall);
        r.until(fall.plus(Duration.ofDays(3)));
        assertEquals(List.of(Instant.parse("2024-06-04T00:30:00Z"), Instant.parse("2024-06-05T00:30:00Z")),
                r.sent().stream().filter(n -> n.duties().equals(List.of("bulletin"))).map(Notification::at).toList(), "08:30 Beijing, while MAJOR");
        List<Notification> closing = r.sent().stream().filter(n -> n.duties().equals(List.of("closing-bulletin"))).toList();
        assertEquals(1, closing.size());
        assertEquals(fall, closing.get(0).at());
        assertEquals(Notification.Kind.BULLETIN, closing.get(0).kind());
        assertTrue(closing.get(0).report().startsWith("# 网络舆情通报（终报）：「食堂饭菜有问题」"), closing.get(0).report());
    }

    // ---- quiet hours -------------------------------------------------------------------------------------------

    @Test
    void aGeneralIncidentAtNightWaitsForTheMorningAndItsDeadlinesCountFromThere() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, NIGHT);
        assertEquals(List.of(), r.sent(), "nothing sent at 23:00");
        Notification held = r.held().get(0);
        Instant morning = Instant.parse("2024-06-03T23:00:00Z"); // 07:00 in Beijing
        assertEquals(morning, held.deliverAt());
        assertEquals(morning.plus(Duration.ofHours(2)), held.deadlines().get("triage-and-forward"));
        r.until(morning.plus(Duration.ofHours(3)));
        assertEquals(List.of("OFFICE reminder triage-and-forward", "LEADERSHIP_GROUP overdue triage-and-forward"), r.lines());
        assertEquals(morning.plus(Duration.ofMinutes(90)), r.sent().get(0).at(), "reminded in office hours");
    }

    @Test
    void majorAndCriticalGoAtOnceAtNight() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, NIGHT);
        assertEquals(4, r.sent().size());
        assertTrue(r.held().isEmpty());
    }

    @Test
    void whatQuietHoursHoldIsSentAtOnceWhenTheIncidentBecomesMajor() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, NIGHT);
        Instant forecast = NIGHT.plus(Duration.ofMinutes(20));
        r.apply(r.plan.forecast(r.c, new ForecastWarning("inc-1", "canteen", Level.GENERAL, Level.MAJOR, "comments", 60, 100, 20,
                forecast, forecast.plus(Duration.ofHours(1)), ROOT), Silences.NONE));
        assertEquals(List.of(), r.lines(), "the major procedure of a GENERAL incident waits for the morning, as its level says");
        Notification heldReport = r.held().stream().filter(n -> n.role() == Role.LEADERSHIP_GROUP).findFirst().orElseThrow();

        Instant major = NIGHT.plus(Duration.ofMinutes(40));
        r.change(Level.GENERAL, Level.MAJOR, major);
        assertEquals(List.of("LEADERSHIP_GROUP duties report-to-leadership,report-to-county,decide-report-to-superior-authority,convene-emergency-meeting",
                "DEPARTMENT duties investigate-facts", "SPOKESPERSON duties speak-with-one-voice", "OFFICE duties track-continuously"), r.lines(),
                "MAJOR always goes at once: what was held is sent now");
        assertEquals(major.plus(Duration.ofMinutes(30)), r.sent().get(0).deadlines().get("report-to-leadership"));
        assertTrue(r.out.stream().anyMatch(o -> o instanceof Output.DeskEntry e && e.withdrawn() && e.held().id().equals(heldReport.id())),
                "and withdrawn from the digest");
    }

    @Test
    void inAHeightenedWatchTheOfficesQuietHoursAreSuspended() {
        OpinionWatchConfig watch = DEFAULTS.withRules(new OpinionWatchConfig.Rules(DEFAULTS.classifier().thresholds(), DEFAULTS.classifier().subjects(),
                        Map.of(), Map.of(), DEFAULTS.classifier().hysteresis(), DEFAULTS.classifier().calmPeriod(),
                        List.of(new OpinionWatchConfig.Watch("gaokao", NIGHT.minus(Duration.ofDays(1)), NIGHT.plus(Duration.ofDays(1)), 0.5)),
                        DEFAULTS.classifier().grouping()));
        Run r = new Run(watch).change(Level.NONE, Level.GENERAL, NIGHT);
        assertEquals(List.of("OFFICE duties triage-and-forward"), r.lines(), "the office keeps its 24-hour watch");
    }

    // ---- growth ------------------------------------------------------------------------------------------------

    @Test
    void oneMoreViewAtEveryCheckpointIsNotGrowth() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0, new WindowMetrics(100, 10, 0), List.of("complaint"));
        r.done("triage-and-forward", T0.plusSeconds(1));
        r.clear();
        for (int h = 1; h <= 30; h++) {
            r.metrics(new WindowMetrics(100 + h, 10, 0), T0.plus(Duration.ofHours(h)).minusSeconds(30));
        }
        r.until(T0.plus(Duration.ofHours(30)));
        assertTrue(r.lines().stream().noneMatch(l -> l.contains("report-to-leadership")), r.lines().toString());
    }

    @Test
    void aGeneralIncidentThatReallyKeepsGrowingGoesToTheMajorProcedure() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0, new WindowMetrics(100, 10, 0), List.of("complaint"));
        r.done("triage-and-forward", T0.plusSeconds(1));
        r.clear();
        r.metrics(new WindowMetrics(700, 40, 0), T0.plus(Duration.ofHours(20)));
        r.until(T0.plus(Duration.ofHours(24)).plusSeconds(1));
        List<String> lines = r.lines();
        assertTrue(lines.contains("LEADERSHIP_GROUP duties report-to-leadership,report-to-county,decide-report-to-superior-authority,convene-emergency-meeting"),
                lines.toString());
        Notification leadership = r.sent().stream().filter(n -> n.role() == Role.LEADERSHIP_GROUP).findFirst().orElseThrow();
        assertEquals(T0.plus(Duration.ofHours(24)), leadership.at());
        assertEquals(Level.GENERAL, leadership.level(), "the incident is GENERAL: the procedure is MAJOR's");
        assertTrue(leadership.instructions().contains("按重大舆情程序处置"), leadership.instructions());
        assertTrue(r.sent().stream().noneMatch(n -> n.kind() == Notification.Kind.BULLETIN), "no bulletins below MAJOR");
    }

    @Test
    void aForecastOfMajorTakesAGeneralIncidentToTheMajorProcedure() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.clear();
        r.apply(r.plan.forecast(r.c, new ForecastWarning("inc-1", "canteen", Level.GENERAL, Level.MAJOR, "comments", 60, 100, 20,
                T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofHours(2)), ROOT), Silences.NONE));
        assertEquals(4, r.sent().size(), r.lines().toString());
        assertEquals(Level.MAJOR, r.c.procedure());
    }

    // ---- tracking and forecasts where people look -------------------------------------------------------------

    static ForecastWarning forecast(Level level, Level next, Instant at, Instant expectedAt) {
        return new ForecastWarning("inc-1", "canteen", level, next, "comments", 380, 500, 120, at, expectedAt, ROOT);
    }

    /** CRITICAL as the design has it: the superior authority hears at once, which MAJOR does not ask. */
    static final OpinionWatchConfig SUPERIOR_AT_CRITICAL = with(Map.of("OW_ESCALATION_REPORTING_LEVELS_CRITICAL_SUPERIOR_AUTHORITY", "AT_ONCE"));

    @Test
    void aForecastOfALevelThatAsksMoreIsOneNoticeToTheRoleThatLeadsAndTheBoardKeepsIt() {
        Run r = new Run(SUPERIOR_AT_CRITICAL).change(Level.NONE, Level.MAJOR, T0);
        r.clear();
        Instant at = T0.plus(Duration.ofHours(1));
        Instant expected = T0.plus(Duration.ofHours(3));
        r.apply(r.plan.forecast(r.c, forecast(Level.MAJOR, Level.CRITICAL, at, expected), Silences.NONE));
        assertEquals(List.of("LEADERSHIP_GROUP duties heed-forecast"), r.lines(), "the leadership group leads a MAJOR incident");
        Notification notice = r.sent().get(0);
        assertEquals(Map.of(), notice.deadlines(), "nothing to close: a notice");
        assertTrue(notice.instructions().contains("预警：按目前速度，预计6月3日 13:00前后评论将达到 500，进入特别重大级别。"), notice.instructions());
        assertTrue(notice.instructions().contains("研判预警"), notice.instructions());
        assertEquals(new Case.Forecast(Level.CRITICAL, "comments", 500, at, expected), r.c.outlook().forecast(), "for the duty board");
        assertTrue(r.c.duties().stream().noneMatch(d -> d.isOpen() && d.duty().equals("heed-forecast")), "not a duty the case keeps open");
        assertTrue(r.c.timeline().stream().anyMatch(l -> l.what().startsWith("预警")), "the review's timeline has it");
        Output.DeskEntry entry = r.c.unreported();
        assertTrue(entry.tracked(), "held for the daily report");
        assertEquals(Level.CRITICAL, entry.forecast().next());
        r.clear();

        r.apply(r.plan.forecast(r.c, forecast(Level.MAJOR, Level.CRITICAL, at.plus(Duration.ofMinutes(30)), expected), Silences.NONE));
        assertEquals(List.of(), r.lines(), "a forecast heard already: once per case");
        r.change(Level.MAJOR, Level.CRITICAL, T0.plus(Duration.ofHours(2)), new WindowMetrics(1500, 520, 0), List.of("rumour"));
        assertEquals(null, r.c.outlook().forecast(), "a forecast is for the level it was made at");
    }

    @Test
    void aForecastOfCriticalWhoseReportingChainIsMajorsTellsNobody() {
        Run r = new Run().change(Level.NONE, Level.MAJOR, T0);
        r.clear();
        r.apply(r.plan.forecast(r.c, forecast(Level.MAJOR, Level.CRITICAL, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3))),
                Silences.NONE));
        assertEquals(List.of(), r.lines(), "the defaults' CRITICAL asks what MAJOR asks: the board and the daily report only");
        assertEquals(Level.CRITICAL, r.c.outlook().forecast().next());
    }

    @Test
    void aMinorIncidentForecastToBecomeMajorTellsTheOfficeAndWaitsForTheMorningAtNight() {
        Run r = new Run().change(Level.NONE, Level.MINOR, T0);
        assertEquals(List.of(), r.lines(), "MINOR: nothing of its own");
        r.apply(r.plan.forecast(r.c, forecast(Level.MINOR, Level.MAJOR, T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofHours(4))),
                Silences.NONE));
        assertEquals(List.of("OFFICE duties heed-forecast"), r.lines(), "but a MAJOR forecast changes what the office expects");

        Run night = new Run().change(Level.NONE, Level.MINOR, NIGHT);
        night.apply(night.plan.forecast(night.c, forecast(Level.MINOR, Level.MAJOR, NIGHT.plus(Duration.ofMinutes(10)),
                NIGHT.plus(Duration.ofHours(4))), Silences.NONE));
        assertEquals(List.of(), night.lines());
        assertEquals(List.of("heed-forecast"), night.held().get(0).duties(), "in the office's morning digest");
    }

    @Test
    void aForecastOfTheProcedureInForceOrOfAClosedCaseTellsNobody() {
        Run onMajor = new Run(with(Map.of("OW_ESCALATION_GROWTH_FORECAST", "false"))).change(Level.NONE, Level.GENERAL, T0);
        onMajor.clear();
        onMajor.apply(onMajor.plan.forecast(onMajor.c, forecast(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofMinutes(5)),
                T0.plus(Duration.ofHours(2))), Silences.NONE));
        assertEquals(List.of("OFFICE duties heed-forecast"), onMajor.lines(), "without growth.forecast the office judges it");

        Run growth = new Run().change(Level.NONE, Level.GENERAL, T0);
        growth.apply(growth.plan.forecast(growth.c, forecast(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofMinutes(5)),
                T0.plus(Duration.ofHours(2))), Silences.NONE));
        growth.clear();
        growth.apply(growth.plan.forecast(growth.c, forecast(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofMinutes(50)),
                T0.plus(Duration.ofHours(2))), Silences.NONE));
        assertEquals(List.of(), growth.lines(), "on the major procedure already: MAJOR forecast tells nobody anything new");

        Run closed = new Run().change(Level.NONE, Level.GENERAL, T0);
        closed.act(Action.of("inc-1", Action.Kind.DISMISS, "李老师", "与本校无关", T0.plus(Duration.ofMinutes(5))));
        closed.clear();
        closed.apply(closed.plan.forecast(closed.c, forecast(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofMinutes(6)),
                T0.plus(Duration.ofHours(2))), Silences.NONE));
        assertEquals(List.of(), closed.out, "a dismissed case");
    }

    /** A GENERAL incident, triaged, whose counts at each hour's checkpoint are these views (comments a tenth). */
    static Run tracked(int... views) {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0, new WindowMetrics(views[0], views[0] / 10, 0), List.of("complaint"));
        r.done("triage-and-forward", T0.plusSeconds(1));
        for (int h = 1; h < views.length; h++) {
            r.metrics(new WindowMetrics(views[h], views[h] / 10, 0), T0.plus(Duration.ofHours(h)).minusSeconds(30));
        }
        r.until(T0.plus(Duration.ofHours(views.length - 1)).plusSeconds(1));
        return r;
    }

    static long notices(Run r, String duty) {
        return r.sent().stream().filter(n -> n.duties().equals(List.of(duty))).count();
    }

    @Test
    void aTrendThatTurnsUpAgainAfterFallingIsOneNoticeAndTheRestOnlyTracking() {
        // Up, down to 400, a little up and down (noise), then a new wave from 400 to 1000.
        Run r = tracked(600, 800, 700, 500, 400, 420, 410, 700, 1000, 1200);
        List<Notification> rising = r.sent().stream().filter(n -> n.duties().equals(List.of("reassess-rise"))).toList();
        assertEquals(1, rising.size(), r.lines().toString());
        assertEquals(Role.OFFICE, rising.get(0).role(), "the office leads a GENERAL incident");
        assertEquals(T0.plus(Duration.ofHours(8)), rising.get(0).at(), "at the checkpoint where it rose by half and by 500 views from 400");
        assertTrue(rising.get(0).instructions().contains("回落时最低为浏览 400"), rising.get(0).instructions());
        assertEquals(9, r.out.stream().filter(o -> o instanceof Output.Track).count(), "every checkpoint still goes to tracking");
        assertEquals(TrackingCheckpoint.Trend.RISING, r.c.outlook().trend(), "the board's trend");
        assertEquals(null, r.c.outlook().trough(), "it must fall again before another");
    }

    @Test
    void theDeskHearsOnlyEachReportsLatestCheckpoint() {
        // Checkpoints every hour from 03:00Z to 11:00Z; the daily report is at 17:30 Shanghai, 09:30Z.
        Run r = tracked(600, 800, 700, 500, 400, 420, 410, 700, 1000, 1200);
        List<Output.DeskEntry> desk = r.out.stream().filter(o -> o instanceof Output.DeskEntry e && e.tracked())
                .map(o -> (Output.DeskEntry) o).toList();
        assertEquals(List.of(T0.plus(Duration.ofHours(7))), desk.stream().map(Output.DeskEntry::at).toList(),
                "the last before the report, once a checkpoint after it came");
        assertEquals(700, desk.get(0).metrics().views());
        Output.DeskEntry held = r.c.unreported();
        assertEquals(T0.plus(Duration.ofHours(9)), held.at(), "the latest, held for the next report");
        assertEquals(1200, held.metrics().views());
        assertEquals(Instant.parse("2024-06-04T09:30:00Z"), r.plan.unreportedDue(r.c));
        Step due = r.plan.reportDue(r.c);
        assertEquals(List.of(held), due.outputs(), "sent when its report is due");
        assertEquals(null, due.after().unreported());
        assertEquals(null, r.plan.unreportedDue(due.after()));
    }

    @Test
    void aSmallRiseAfterAFallOrARiseWithoutAFallTellsNobody() {
        assertEquals(0, notices(tracked(600, 500, 400, 450, 480, 520), "reassess-rise"), "a few views more than the lowest");
        assertEquals(0, notices(tracked(100, 200, 400, 800, 1600), "reassess-rise"), "growth without a fall: the growth rule's");
        assertEquals(2, notices(tracked(600, 400, 1000, 700, 300, 900), "reassess-rise"), "two waves, each after a fall");
    }

    @Test
    void aStoryThatJoinedAnotherIncidentLeavesTheDailyReportAsOfTheLatestItKnew() {
        Instant later = T0.plus(Duration.ofDays(3));
        Run r = new Run().change(Level.NONE, Level.MINOR, T0).change(Level.MINOR, Level.NONE, T0.plus(Duration.ofDays(2)))
                .change(Level.NONE, Level.MINOR, later);
        r.clear();
        // The classifier closes a story that joined another incident with a change dated when the story began.
        r.apply(r.plan.levelChanged(r.c, new SeverityChange("inc-1", "canteen", Level.MINOR, Level.NONE, List.of("joined incident inc-0"),
                WindowMetrics.ZERO, Duration.ofHours(24), T0, T0, ROOT, List.of(ROOT), List.of(), List.of()), Silences.NONE));
        assertEquals(Case.Status.MERGED, r.c.status());
        Output.DeskEntry entry = (Output.DeskEntry) r.out.get(r.out.size() - 1);
        assertEquals(Level.NONE, entry.level());
        assertEquals(later, entry.at(), "after the reopening it closes, or the daily report would list it open for ever");
    }

    // ---- relapse -----------------------------------------------------------------------------------------------

    @Test
    void aSubsidedCaseReopensBelowGeneralQuietlyAndAtGeneralWithOneReview() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.done("triage-and-forward", T0.plus(Duration.ofMinutes(30)));
        r.done("respond", T0.plus(Duration.ofHours(3)));
        r.done("reply-same-day", T0.plus(Duration.ofHours(3)));
        Instant calm = T0.plus(Duration.ofDays(3));
        r.change(Level.GENERAL, Level.NONE, calm);
        r.until(calm.plus(Duration.ofDays(4)));
        assertTrue(r.lines().contains("OFFICE duties review"), r.lines().toString());
        r.done("review", calm.plus(Duration.ofDays(4)));
        r.clear();

        Instant yearLater = T0.plus(Duration.ofDays(365));
        r.change(Level.NONE, Level.MINOR, yearLater);
        assertEquals(List.of(), r.lines(), "a comment a year later: the daily report only");
        r.change(Level.MINOR, Level.NONE, yearLater.plus(Duration.ofDays(2)));
        r.change(Level.NONE, Level.GENERAL, yearLater.plus(Duration.ofDays(30)));
        assertEquals(List.of("OFFICE duties review-relapse"), r.lines(), "one review, not the procedure from scratch");
        assertTrue(r.sent().get(0).instructions().contains("本案重新打开"), r.sent().get(0).instructions());
        r.clear();
        r.done("review-relapse", yearLater.plus(Duration.ofDays(30)).plus(Duration.ofHours(1)));
        r.change(Level.GENERAL, Level.NONE, yearLater.plus(Duration.ofDays(32)));
        r.until(yearLater.plus(Duration.ofDays(60)));
        assertEquals(List.of(), r.lines(), "reviewed already: a relapse below MAJOR gets no second review");
    }

    @Test
    void aRelapseDuringAftercarePutsTheReviewOffUntilItSubsidesAgain() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.act(Action.of("inc-1", Action.Kind.RESOLVE, "校办", "", T0.plusSeconds(1)));
        r.change(Level.GENERAL, Level.NONE, T0.plus(Duration.ofHours(50)));
        r.change(Level.NONE, Level.GENERAL, T0.plus(Duration.ofHours(70)));
        r.change(Level.GENERAL, Level.NONE, T0.plus(Duration.ofHours(120)));
        r.until(T0.plus(Duration.ofDays(10)));
        List<Notification> reviews = r.sent().stream().filter(n -> n.duties().equals(List.of("review"))).toList();
        assertEquals(1, reviews.size());
        assertEquals(T0.plus(Duration.ofHours(120)).plus(Duration.ofDays(3)), reviews.get(0).at());
        assertTrue(reviews.get(0).report().startsWith("# 总结评估：「食堂饭菜有问题」"), reviews.get(0).report());
    }

    // ---- judgement and silences --------------------------------------------------------------------------------

    @Test
    void aDismissedCaseClosesItsDutiesAndGetsNoReview() {
        Run r = new Run().change(Level.NONE, Level.GENERAL, T0);
        r.act(Action.of("inc-1", Action.Kind.DISMISS, "李老师", "与本校无关", T0.plus(Duration.ofMinutes(10))));
        r.change(Level.GENERAL, Level.NONE, T0.plus(Duration.ofMinutes(10)));
        r.clear();
        r.until(T0.plus(Duration.ofDays(20)));
        assertEquals(List.of(), r.lines());
        assertEquals(Case.Status.DISMISSED, r.c.status());
        assertTrue(r.c.duties().stream().noneMatch(Case.DutyState::isOpen));
    }

    @Test
    void aSilenceHoldsBackWhatItCoversButNotAnEntryToMajor() {
        Run r = new Run();
        r.silences = Silences.of(List.of(new SetSilence(new Action.Silence("s-1", Action.Silence.Target.SUBJECT, "canteen",
                T0.plus(Duration.ofDays(1))), T0)));
        r.change(Level.NONE, Level.GENERAL, T0);
        assertEquals(List.of(), r.lines(), "silenced");
        assertTrue(r.c.timeline().stream().anyMatch(l -> l.what().contains("s-1")), "the timeline says so");
        r.change(Level.GENERAL, Level.MAJOR, T0.plus(Duration.ofHours(1)));
        assertEquals(4, r.sent().size(), "MAJOR always goes");
    }

    @Test
    void aSilenceHoldsNothingBackBeforeItWasSet() {
        Run r = new Run();
        r.silences = Silences.of(List.of(new SetSilence(new Action.Silence("s-1", Action.Silence.Target.SUBJECT, "canteen",
                T0.plus(Duration.ofDays(1))), T0.plus(Duration.ofHours(1)))));
        r.change(Level.NONE, Level.GENERAL, T0);
        assertFalse(r.lines().isEmpty(), "decided before the silence was set: sent");
    }

    // ---- the simulated office ----------------------------------------------------------------------------------

    @Test
    void anOnTimeOfficeDoesEachDutyHalfwayToItsDeadline() {
        Run r = new Run(with(Map.of("OW_ESCALATION_OFFICE", "ON_TIME"))).change(Level.NONE, Level.GENERAL, T0);
        r.until(T0.plus(Duration.ofDays(3)));
        List<Action> acts = r.out.stream().filter(o -> o.channel() == Output.Channel.ACTIONS).map(o -> ((Output.Act) o).action()).toList();
        assertEquals(T0.plus(Duration.ofHours(1)), acts.get(0).at(), "triage-and-forward, due in 2 h, done in 1");
        assertEquals("triage-and-forward", acts.get(0).duty());
        assertEquals("舆情办公室（模拟）", acts.get(0).by());
        assertTrue(r.lines().stream().noneMatch(l -> l.contains("reminder") || l.contains("overdue")), r.lines().toString());
        assertTrue(r.lines().contains("DEPARTMENT duties respond,reply-same-day"), "forwarded by the office");
    }

    @Test
    void aLateOfficeActsJustAfterTheOverdueNotice() {
        Run r = new Run(with(Map.of("OW_ESCALATION_OFFICE", "LATE"))).change(Level.NONE, Level.GENERAL, T0);
        r.clear();
        r.until(T0.plus(Duration.ofHours(3)));
        assertEquals(List.of("OFFICE reminder triage-and-forward", "LEADERSHIP_GROUP overdue triage-and-forward",
                "DEPARTMENT duties respond,reply-same-day"), r.lines());
        assertEquals(T0.plus(Duration.ofHours(2)).plus(CasePlan.LATE_BY), r.sent().get(2).at());
    }

    // ---- the words ---------------------------------------------------------------------------------------------

    @Test
    void notificationsNameTheStoryInChineseAndEnglishByConfiguration() {
        Notification zh = new Run().change(Level.NONE, Level.MAJOR, T0).sent().get(0);
        assertTrue(zh.instructions().startsWith("【重大舆情】「食堂饭菜有问题」\n链接：https://bbs.example.edu/t/1\n近24小时：浏览 900，评论 100，主流媒体 0 家。"),
                zh.instructions());
        assertTrue(zh.instructions().contains("请领导小组：\n1. 听取舆情报告并确认收到（立即报告）（6月3日 10:30前）"), zh.instructions());
        assertTrue(zh.instructions().contains("立即报告县教育系统网络舆情工作领导小组"), zh.instructions());
        assertTrue(!zh.instructions().contains("canteen") && !zh.instructions().contains("inc-1"), "the story, not ids");

        Notification en = new Run(with(Map.of("OW_ESCALATION_LOCALE", "en"))).change(Level.NONE, Level.MAJOR, T0).sent().get(0);
        assertTrue(en.instructions().startsWith("[major (重大)] \"食堂饭菜有问题\"\nLink: https://bbs.example.edu/t/1\nLast 24 h: 900 views"),
                en.instructions());
        assertTrue(en.instructions().contains("take the report and confirm it (reported at once) (by Jun 3 10:30)"), en.instructions());
    }

    @Test
    void idsAreDeterministic() {
        List<String> a = new Run().change(Level.NONE, Level.MAJOR, T0).until(T0.plus(Duration.ofDays(2))).sent().stream().map(Notification::id).toList();
        List<String> b = new Run().change(Level.NONE, Level.MAJOR, T0).until(T0.plus(Duration.ofDays(2))).sent().stream().map(Notification::id).toList();
        assertEquals(a, b);
        assertEquals(a.size(), new java.util.HashSet<>(a).size());
    }
}
