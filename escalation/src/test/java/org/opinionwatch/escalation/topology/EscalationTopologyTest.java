package org.opinionwatch.escalation.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.TrackingCheckpoint.Trend;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.SortableKeys;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.plan.Case;
import org.opinionwatch.escalation.plan.SetSilence;
import org.opinionwatch.escalation.plan.Timer;
import org.opinionwatch.runtime.streams.DeadLetters;

class EscalationTopologyTest {
    /** One partition per topic, as the test driver has them. */
    static final OpinionWatchConfig CONFIG = ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "1")).inNamespace("test.");
    static final Topics TOPICS = CONFIG.topicNames();
    /** 22:00 in Shanghai: the night is quiet. */
    static final Instant T0 = Instant.parse("2024-06-03T14:00:00Z");
    /** 10:00 in Shanghai: office hours. */
    static final Instant DAY = Instant.parse("2024-06-03T02:00:00Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "宿舍停水三天");

    @TempDir
    Path stateDirs;
    private final List<Harness> open = new ArrayList<>();

    /** One TopologyTestDriver over the stage's real topology and real streams properties. */
    final class Harness implements AutoCloseable {
        final TopologyTestDriver driver;
        /** The classifier's decisions and progress, piped in event-time order as the classifier writes them. */
        final TestInputTopic<String, TimelineEntry> timeline;
        final TestInputTopic<String, Action> actions;
        final TestOutputTopic<String, Action> actionsOut;
        final TestOutputTopic<String, Notification> notifications;
        final TestOutputTopic<String, TrackingCheckpoint> tracking;
        final TestOutputTopic<String, DeadLetter> deadLetters;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();

        Harness(String stateDir) {
            this(stateDir, CONFIG, new Properties());
        }

        Harness(String stateDir, OpinionWatchConfig config) {
            this(stateDir, config, new Properties());
        }

        Harness(String stateDir, OpinionWatchConfig config, Properties overrides) {
            Properties properties = Escalation.streamsProperties(CONFIG);
            properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve(stateDir).toString());
            Topics topics = config.topicNames();
            new DeadLetters("escalation", topics.escalationDlq().name(), meters).applyTo(properties);
            properties.putAll(overrides);
            driver = new TopologyTestDriver(EscalationTopology.build(config, meters), properties);
            timeline = driver.createInputTopic(topics.timeline().name(), topics.timeline().keySerde().serializer(),
                    topics.timeline().valueSerde().serializer());
            actions = driver.createInputTopic(topics.actions().name(), topics.actions().keySerde().serializer(),
                    topics.actions().valueSerde().serializer());
            actionsOut = driver.createOutputTopic(topics.actions().name(), topics.actions().keySerde().deserializer(),
                    topics.actions().valueSerde().deserializer());
            notifications = driver.createOutputTopic(topics.notifications().name(),
                    topics.notifications().keySerde().deserializer(), topics.notifications().valueSerde().deserializer());
            tracking = driver.createOutputTopic(topics.tracking().name(),
                    topics.tracking().keySerde().deserializer(), topics.tracking().valueSerde().deserializer());
            deadLetters = driver.createOutputTopic(topics.escalationDlq().name(), new StringDeserializer(),
                    topics.escalationDlq().valueSerde().deserializer());
            open.add(this);
        }

        void change(String incident, Level from, Level to, WindowMetrics metrics, Instant at) {
            timeline.pipeInput(incident, TimelineEntry.decided(null, new SeverityChange(incident, "dormitory", from, to, List.of("views>=1000"),
                    metrics, Duration.ofHours(24), at, at.plusSeconds(3), ROOT, List.of(ROOT), List.of("complaint"), List.of()), null), at);
        }

        void state(String incident, Level level, WindowMetrics metrics, Instant updatedAt) {
            timeline.pipeInput(incident, TimelineEntry.decided(new IncidentState(incident, "dormitory", level, metrics, T0.minusSeconds(600),
                    updatedAt, ROOT, 3, java.util.List.of()), null, null), updatedAt);
        }

        void forecast(ForecastWarning forecast) {
            timeline.pipeInput(forecast.incidentId(), TimelineEntry.decided(null, null, forecast), forecast.at());
        }

        void act(Action action) {
            actions.pipeInput(action.key(), action, action.at());
        }

        void done(String incident, String duty, Instant at) {
            act(Action.done(incident, duty, "王老师", "", at));
        }

        /** The notifications so far, as "ROLE kind duties" lines, those of {@code incident} only. */
        List<String> duties(String incident) {
            return notifications.readValuesToList().stream().filter(n -> incident.equals(n.incidentId()))
                    .map(n -> n.role() + " " + n.kind() + " " + String.join(",", n.duties())).toList();
        }

        /** The sum of the gauges of that name (over their tags). */
        double gauge(String name) {
            return meters.find(name).gauges().stream().mapToDouble(g -> g.value()).sum();
        }

        void heartbeat(Instant time) {
            timeline.pipeInput(null, TimelineEntry.reached(time), time);
        }

        /** Heartbeats only, every {@code step}, from {@code from} (exclusive) up to and including {@code to}. */
        void heartbeats(Instant from, Instant to, Duration step) {
            for (Instant t = from.plus(step); !t.isAfter(to); t = t.plus(step)) {
                heartbeat(t);
            }
        }

        @Override
        public void close() {
            driver.close();
            open.remove(this);
        }
    }

    @AfterEach
    void closeDrivers() {
        new ArrayList<>(open).forEach(Harness::close);
    }

    private static WindowMetrics m(long views, long comments, int outlets) {
        return new WindowMetrics(views, comments, outlets);
    }

    @Test
    void aMajorChangeGoesToEachRoleOfTheProcedureAtOnceKeyedByItsIncident() {
        Harness h = new Harness("major");
        h.change("inc-1", Level.GENERAL, Level.MAJOR, m(1000, 40, 0), T0);

        List<TestRecord<String, Notification>> out = h.notifications.readRecordsToList();
        assertEquals(List.of(Role.LEADERSHIP_GROUP, Role.DEPARTMENT, Role.SPOKESPERSON, Role.OFFICE),
                out.stream().map(r -> r.value().role()).toList(), "one notification per role, at 22:00 too: MAJOR always goes");
        assertEquals(List.of("report-to-leadership", "report-to-county", "decide-report-to-superior-authority", "convene-emergency-meeting"),
                out.get(0).value().duties());
        for (TestRecord<String, Notification> r : out) {
            assertEquals("inc-1", r.key());
            assertEquals(T0, r.getRecordTime(), "the record time is the event's at");
            assertEquals(Level.MAJOR, r.value().level());
            assertEquals(Notification.Kind.DUTIES, r.value().kind());
        }
    }

    @Test
    void hourlyCheckpointsFireThroughAQuietNightOnHeartbeatsAlone() {
        Harness h = new Harness("night");
        WindowMetrics atChange = m(100, 20, 0);
        WindowMetrics evening = m(150, 30, 0);
        WindowMetrics onTheHour = m(200, 35, 0);
        WindowMetrics later = m(180, 35, 0);
        h.change("inc-1", Level.MINOR, Level.GENERAL, atChange, T0);
        h.state("inc-1", Level.GENERAL, evening, T0.plus(Duration.ofMinutes(20)));
        h.state("inc-1", Level.GENERAL, onTheHour, T0.plus(Duration.ofHours(1))); // at the checkpoint: included
        h.heartbeats(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));
        h.state("inc-1", Level.GENERAL, later, T0.plus(Duration.ofMinutes(150)));
        // From here on nothing but heartbeats, up to 6 hours past the round's end.
        h.heartbeats(T0.plus(Duration.ofMinutes(150)), T0.plus(Duration.ofHours(30)), Duration.ofMinutes(10));

        List<TestRecord<String, TrackingCheckpoint>> out = h.tracking.readRecordsToList();
        assertEquals(24, out.size(), "24 h; it had stopped growing by then (calm), so no more");
        for (int k = 1; k <= 24; k++) {
            TestRecord<String, TrackingCheckpoint> r = out.get(k - 1);
            TrackingCheckpoint c = r.value();
            assertEquals(k, c.sequence());
            assertEquals(T0.plus(Duration.ofHours(k)), c.at());
            assertEquals(c.at(), r.getRecordTime());
            assertEquals("inc-1", r.key());
            assertEquals(Level.GENERAL, c.level());
            WindowMetrics expected = k <= 2 ? onTheHour : later;
            assertEquals(expected, c.metrics(), "checkpoint " + k);
        }
        assertEquals(onTheHour.minus(atChange), out.get(0).value().change());
        assertEquals(Trend.RISING, out.get(0).value().trend());
        assertEquals(WindowMetrics.ZERO, out.get(1).value().change());
        assertEquals(Trend.STEADY, out.get(1).value().trend());
        assertEquals(m(-20, 0, 0), out.get(2).value().change());
        assertEquals(Trend.FALLING, out.get(2).value().trend());
        assertEquals(Trend.STEADY, out.get(23).value().trend());
    }

    @Test
    void nothingFiresBeforeItsTime() {
        Harness h = new Harness("early");
        h.change("inc-1", Level.NONE, Level.GENERAL, m(10, 1, 0), DAY);
        h.notifications.readRecordsToList();

        h.heartbeat(DAY.plus(Duration.ofMinutes(59)));
        h.heartbeat(DAY.plus(Duration.ofHours(1)).minusMillis(1));
        assertTrue(h.tracking.isEmpty(), "before the hour");
        h.heartbeat(DAY.plus(Duration.ofHours(1)));
        assertTrue(h.tracking.isEmpty(), "at the hour a state of that same instant may still come");
        h.heartbeat(DAY.plus(Duration.ofMinutes(61)));
        assertEquals(List.of(1), h.tracking.readValuesToList().stream().map(TrackingCheckpoint::sequence).toList());
        h.heartbeat(DAY.plus(Duration.ofMinutes(89)));
        assertTrue(h.notifications.isEmpty(), "nothing is due yet");
        h.heartbeat(DAY.plus(Duration.ofMinutes(91)));
        assertEquals(List.of(Notification.Kind.REMINDER), h.notifications.readValuesToList().stream().map(Notification::kind).toList(),
                "30 min before triage-and-forward is due");
        h.heartbeat(DAY.plus(Duration.ofMinutes(119)));
        assertTrue(h.tracking.isEmpty());
        assertTrue(h.notifications.isEmpty());
    }

    @Test
    void aMinorIncidentGetsNoHourlyTrackingAndNoNotificationOfItsOwn() {
        Harness h = new Harness("minor");
        h.change("inc-1", Level.NONE, Level.MINOR, m(5, 0, 0), T0);
        h.heartbeats(T0, T0.plus(Duration.ofHours(26)), Duration.ofMinutes(30));
        assertEquals(List.of(), h.duties("inc-1"), "the daily report lists it instead");
        assertTrue(h.tracking.isEmpty());
    }

    @Test
    void aRiseDuringTrackingStartsANewRoundAndCancelsTheOldOne() {
        Harness h = new Harness("rise");
        Instant rise = T0.plus(Duration.ofMinutes(210));
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.heartbeats(T0, rise.minusSeconds(60), Duration.ofMinutes(10));
        h.change("inc-1", Level.GENERAL, Level.MAJOR, m(1000, 60, 0), rise);
        h.heartbeats(rise, rise.plus(Duration.ofHours(26)), Duration.ofMinutes(10));

        List<TrackingCheckpoint> out = h.tracking.readValuesToList();
        assertEquals(3 + 24, out.size(), "the MAJOR round: 24 h, no growth at its end");
        for (int k = 1; k <= 3; k++) {
            assertEquals(k, out.get(k - 1).sequence());
            assertEquals(T0.plus(Duration.ofHours(k)), out.get(k - 1).at());
            assertEquals(Level.GENERAL, out.get(k - 1).level());
        }
        for (int k = 1; k <= 24; k++) {
            TrackingCheckpoint c = out.get(2 + k);
            assertEquals(k, c.sequence());
            assertEquals(rise.plus(Duration.ofHours(k)), c.at());
            assertEquals(Level.MAJOR, c.level());
        }
        assertEquals(m(1000, 60, 0), out.get(3).metrics(), "the rise's own metrics are the latest known");
        assertEquals(WindowMetrics.ZERO, out.get(3).change(), "change counts from the rise");
        assertTrue(out.stream().noneMatch(c -> c.at().equals(T0.plus(Duration.ofHours(4)))), "the old round is cancelled");
    }

    @Test
    void anIncidentsOwnDueCheckpointsFireBeforeItsNextEventIsApplied() {
        Harness h = new Harness("own");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.state("inc-1", Level.GENERAL, m(120, 12, 0), T0.plus(Duration.ofMinutes(10)));
        // No heartbeat in between: the update at 2:30 first fires the checkpoints of 1:00 and 2:00.
        h.state("inc-1", Level.GENERAL, m(500, 50, 0), T0.plus(Duration.ofMinutes(150)));
        h.change("inc-1", Level.GENERAL, Level.MAJOR, m(1000, 60, 0), T0.plus(Duration.ofMinutes(170)));

        List<TrackingCheckpoint> out = h.tracking.readValuesToList();
        assertEquals(List.of(1, 2), out.stream().map(TrackingCheckpoint::sequence).toList());
        out.forEach(c -> assertEquals(m(120, 12, 0), c.metrics(), "as last reported before " + c.at()));
    }

    @Test
    void anOlderStateNeverReplacesANewerOne() {
        Harness h = new Harness("order");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.state("inc-1", Level.GENERAL, m(300, 30, 0), T0.plus(Duration.ofMinutes(40)));
        h.state("inc-1", Level.GENERAL, m(200, 20, 0), T0.plus(Duration.ofMinutes(30)));
        h.heartbeat(T0.plus(Duration.ofMinutes(70)));
        assertEquals(m(300, 30, 0), h.tracking.readValue().metrics());
    }

    @Test
    void incidentsAreTrackedIndependentlyInDueOrder() {
        Harness h = new Harness("two");
        h.change("inc-a", Level.NONE, Level.GENERAL, m(10, 1, 0), T0);
        h.change("inc-b", Level.NONE, Level.CRITICAL, m(5000, 600, 5), T0.plus(Duration.ofMinutes(30)));
        h.heartbeat(T0.plus(Duration.ofHours(3)));
        List<String> fired = h.tracking.readValuesToList().stream().map(c -> c.incidentId() + "#" + c.sequence()).toList();
        assertEquals(List.of("inc-a#1", "inc-b#1", "inc-a#2", "inc-b#2"), fired);
    }

    @Test
    void theSameInputsGiveTheSameIds() {
        List<List<String>> runs = new ArrayList<>();
        for (String run : List.of("run-1", "run-2")) {
            Harness h = new Harness(run);
            h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY);
            h.state("inc-1", Level.GENERAL, m(400, 80, 0), DAY.plus(Duration.ofMinutes(90)));
            h.change("inc-1", Level.GENERAL, Level.CRITICAL, m(3000, 80, 0), DAY.plus(Duration.ofHours(2)));
            h.heartbeats(DAY.plus(Duration.ofHours(2)), DAY.plus(Duration.ofHours(28)), Duration.ofMinutes(15));
            List<String> ids = new ArrayList<>();
            h.notifications.readValuesToList().forEach(n -> ids.add(n.id()));
            h.tracking.readValuesToList().forEach(c -> ids.add(c.id()));
            runs.add(ids);
            h.close();
        }
        assertTrue(runs.get(0).size() > 1 + 4 + 1 + 24, "plan duties, overdue notices, bulletins, checkpoints");
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(runs.get(0).size(), runs.get(0).stream().distinct().count(), "every id is distinct");
    }

    @Test
    void roundsAndTimersAreKeptInPersistentChangeloggedStores() {
        // The driver wipes its state on close, so a restart is not simulated here (EscalationRestartTest does): what
        // makes rounds and pending timers survive one is that cases hold both in a persistent, changelogged store.
        Harness h = new Harness("stores");
        h.change("inc-1", Level.NONE, Level.MAJOR, m(1200, 30, 1), T0);
        h.heartbeats(T0, T0.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));
        String applicationId = CONFIG.escalation().applicationId();
        assertTrue(h.driver.producedTopicNames().containsAll(List.of(
                applicationId + "-" + EscalationTopology.INCIDENT_STORE + "-changelog",
                applicationId + "-" + EscalationTopology.DAILY_STORE + "-changelog")), h.driver.producedTopicNames().toString());
        assertFalse(h.driver.producedTopicNames().contains(applicationId + "-" + EscalationTopology.TIMER_STORE + "-changelog"),
                "a timer costs no record of its own");

        KeyValueStore<String, Case> incidents = h.driver.getKeyValueStore(EscalationTopology.INCIDENT_STORE);
        assertTrue(incidents.persistent());
        Case memory = incidents.get("inc-1");
        assertEquals(new Case.Round(T0, 3, m(1200, 30, 1), m(1200, 30, 1)), memory.round());
        Instant next = T0.plus(Duration.ofHours(3));
        Timer checkpoint = new Timer(Timer.Kind.CHECKPOINT, "inc-1", next, T0, 3, null);
        assertTrue(memory.timers().contains(checkpoint), memory.timers().toString());
        assertTrue(memory.timers().stream().noneMatch(t -> t.due().isBefore(T0.plus(Duration.ofMinutes(150)))),
                "the timers that fired left the case: " + memory.timers());
    }

    @Test
    void stateRecordsNameTheirSchemaAndRoundTrip() {
        Case memory = Case.fresh("inc-1").withMetrics(m(1, 2, 3), T0);
        byte[] json = EscalationTopology.CASE_JSON.serialize("t", memory);
        assertTrue(new String(json, java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"schema\":\"escalation-case/2\""));
        assertEquals(memory, EscalationTopology.CASE.deserialize("t", json));
        Case armed = memory.withTimer(new Timer(Timer.Kind.CHECKPOINT, "inc-1", T0.plusSeconds(3600), T0, 1, null));
        assertEquals(armed, EscalationTopology.CASE.deserialize("t", EscalationTopology.CASE.serialize("t", armed)));
        // An earlier release's case has no timers of its own: they were in the timer store, which the stage empties into it.
        String v1 = new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .replace("escalation-case/2", "escalation-case/1").replace(",\"timers\":[]", "");
        assertEquals(memory, EscalationTopology.CASE.deserialize("t", v1.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Timer timer = new Timer(Timer.Kind.REMINDER, "inc-1", T0.plusSeconds(60), T0, 0, "n-1");
        assertEquals(timer, EscalationTopology.TIMER.deserialize("t", EscalationTopology.TIMER.serialize("t", timer)));
    }

    @Test
    void deskEventsRoundTripAsCompactBytesAndReadTheirJson() {
        PostRef root = new PostRef("p-1", "https://bbs.example.edu/t/1", "食堂");
        Case.Forecast forecast = new Case.Forecast(Level.CRITICAL, "views", 50_000, T0, T0.plusSeconds(3600));
        Notification held = new Notification("n-1", Notification.Kind.DUTIES, "inc-1", List.of("inc-1"), "食堂", Level.MAJOR, Role.OFFICE,
                List.of("verify"), Map.of("verify", T0.plusSeconds(1800)), "核实", T0, T0.plusSeconds(1800), T0.plusSeconds(30_000), root,
                m(10, 2, 0), null);
        List<DayEvent> events = List.of(DayEvent.tick(2, T0),
                new DayEvent(1, "inc-1", "食堂", root, Level.MAJOR, m(12_000, 300, 1), T0, null, false, Trend.RISING, forecast, true),
                new DayEvent(0, "inc-1", "食堂", root, Level.MAJOR, m(10, 2, 0), T0, held, true, null, null, false));
        for (DayEvent e : events) {
            byte[] bytes = DayEvent.SERDE.serialize("t", e);
            assertEquals(0, bytes[0], "compact bytes, not JSON");
            assertEquals(e, DayEvent.SERDE.deserialize("t", bytes));
            assertEquals(e, DayEvent.SERDE.deserialize("t", DayEvent.JSON.serialize("t", e)), "as an earlier release wrote it");
        }
    }

    @Test
    void timerKeysSortByDueTime() {
        List<String> keys = new ArrayList<>(List.of(
                timer("a", Instant.ofEpochMilli(10_000_000_000_000L)).key(),
                timer("zzz", Instant.ofEpochMilli(999_999_999_999L)).key(),
                timer("b", Instant.ofEpochMilli(1_000_000_000_000L)).key()));
        java.util.Collections.sort(keys);
        assertTrue(keys.get(0).contains("|zzz|") && keys.get(1).contains("|b|") && keys.get(2).contains("|a|"), keys.toString());
        assertTrue(timer("zzz", Instant.ofEpochMilli(999)).key().compareTo(timer("a", Instant.ofEpochMilli(1000)).key()) < 0,
                "a millisecond earlier sorts first, whatever the incident");
        Timer t = timer("x", Instant.ofEpochMilli(1000));
        assertTrue(t.sameKey(timer("x", Instant.ofEpochMilli(1000))));
        assertFalse(t.sameKey(timer("x", Instant.ofEpochMilli(1001))) || t.sameKey(timer("y", Instant.ofEpochMilli(1000))));
        Instant due = Instant.ofEpochMilli(5000);
        List<Timer> variants = List.of(new Timer(Timer.Kind.CHECKPOINT, "x", due, T0, 1, null), new Timer(Timer.Kind.CHECKPOINT, "x", due, T0, 2, null),
                new Timer(Timer.Kind.BULLETIN, "x", due, T0, 1, null), new Timer(Timer.Kind.CHECKPOINT, "x", due, T0.plusSeconds(1), 1, null),
                new Timer(Timer.Kind.REMINDER, "x", due, T0, 0, "n-1"), new Timer(Timer.Kind.REMINDER, "x", due, T0, 3, "n-1"),
                new Timer(Timer.Kind.REMINDER, "x", due, T0.plusMillis(1), 0, "n-1"), new Timer(Timer.Kind.REMINDER, "x", due, T0, 0, "n-2"),
                new Timer(Timer.Kind.OVERDUE, "x", due, T0, 0, "n-1"));
        for (Timer a : variants) {
            for (Timer b : variants) {
                assertEquals(a.key().equals(b.key()), a.sameKey(b), a + " / " + b);
            }
        }
    }

    // --- the plan's rules through the processor (the rules themselves: CasePlanTest) ---

    @Test
    void anActionClosesItsDutyOnlyAndItsRemindersStop() {
        Harness h = new Harness("deadlines");
        h.change("done", Level.MINOR, Level.GENERAL, m(50, 5, 0), DAY);
        h.change("late", Level.MINOR, Level.GENERAL, m(50, 5, 0), DAY);
        h.notifications.readValuesToList();
        h.done("done", "triage-and-forward", DAY.plus(Duration.ofMinutes(40)));
        h.heartbeats(DAY, DAY.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));

        List<Notification> all = h.notifications.readValuesToList();
        List<Notification> late = all.stream().filter(n -> "late".equals(n.incidentId())).toList();
        assertEquals(List.of("OFFICE REMINDER", "LEADERSHIP_GROUP OVERDUE"), late.stream().map(n -> n.role() + " " + n.kind()).toList(),
                "triage-and-forward: reminded 30 min before, overdue to the office's escalatesTo at 2 h");
        assertEquals(DAY.plus(Duration.ofMinutes(90)), late.get(0).at());
        assertEquals(List.of("triage-and-forward"), late.get(1).duties());
        assertEquals(List.of("DEPARTMENT DUTIES respond,reply-same-day"), all.stream().filter(n -> "done".equals(n.incidentId()))
                .map(n -> n.role() + " " + n.kind() + " " + String.join(",", n.duties())).toList(), "forwarded in time: the department hears");
    }

    @Test
    void theDeadlineGaugesAndNotificationCountsFollowThePlan() {
        Harness h = new Harness("meters");
        h.change("done", Level.MINOR, Level.GENERAL, m(50, 5, 0), DAY);
        h.change("late", Level.MINOR, Level.GENERAL, m(50, 5, 0), DAY);
        List<Notification> sent = new ArrayList<>(h.notifications.readValuesToList());
        assertEquals(2, (long) h.gauge("escalation.deadlines.pending"), "two triages pending");
        assertEquals(2, h.meters.get("escalation.deadlines.pending").tags("role", "OFFICE").gauge().value(), "the office's");
        assertEquals(0, h.gauge("escalation.deadlines.overdue"));

        h.done("done", "triage-and-forward", DAY.plus(Duration.ofMinutes(40)));
        assertEquals(3, (long) h.gauge("escalation.deadlines.pending"), "one triage done; the department's two duties pending");
        h.heartbeats(DAY, DAY.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));
        sent.addAll(h.notifications.readValuesToList());
        assertEquals(1, h.gauge("escalation.deadlines.overdue"), "late's triage-and-forward passed its 2 h");
        assertEquals(1, h.meters.get("escalation.deadlines.overdue").tags("role", "OFFICE").gauge().value(), "the office's triage");
        assertEquals(2, h.meters.get("escalation.deadlines.pending").tags("role", "DEPARTMENT").gauge().value(), "the department's");

        assertEquals(2, h.meters.get("escalation.notifications").tags("kind", "duties", "role", "OFFICE").counter().count());
        assertEquals(1, h.meters.get("escalation.notifications").tags("kind", "overdue", "role", "LEADERSHIP_GROUP").counter().count());
        assertEquals(sent.size(), h.meters.find("escalation.notifications").counters().stream().mapToDouble(c -> c.count()).sum(),
                "every notification is counted once");
    }

    @Test
    void whatQuietHoursHoldGoesToEachRoleAsOneDigestAtTheirEnd() {
        Harness h = new Harness("digest");
        // T0 is 22:00 in Beijing: two GENERAL incidents and a MAJOR one in the night.
        h.change("a", Level.NONE, Level.GENERAL, m(50, 5, 0), T0.plus(Duration.ofMinutes(30)));
        h.change("b", Level.NONE, Level.GENERAL, m(60, 6, 0), T0.plus(Duration.ofHours(3)));
        h.change("c", Level.NONE, Level.MAJOR, m(1500, 90, 1), T0.plus(Duration.ofHours(4)));
        assertEquals(4, h.notifications.readValuesToList().size(), "MAJOR goes at once, at night too");
        Instant morning = Instant.parse("2024-06-03T23:00:00Z"); // 07:00 in Beijing
        h.heartbeats(T0, morning.minusSeconds(60), Duration.ofMinutes(30));
        assertTrue(h.notifications.readValuesToList().stream().allMatch(n -> n.incidentId().equals("c")), "the GENERAL ones wait");
        h.heartbeats(morning.minusSeconds(60), morning.plusSeconds(60), Duration.ofMinutes(1));

        List<TestRecord<String, Notification>> digests = h.notifications.readRecordsToList().stream()
                .filter(r -> r.value().kind() == Notification.Kind.DIGEST).toList();
        assertEquals(1, digests.size(), digests.toString());
        Notification digest = digests.get(0).value();
        assertEquals("digest-OFFICE", digests.get(0).key());
        assertEquals(morning, digests.get(0).getRecordTime());
        assertEquals(Notification.Kind.DIGEST, digest.kind());
        assertEquals(null, digest.incidentId());
        assertEquals(List.of("a", "b"), digest.incidentIds());
        assertEquals(morning, digest.deliverAt());
        assertEquals(List.of("triage-and-forward"), digest.duties());
        assertEquals(morning.plus(Duration.ofHours(2)), digest.due(), "the triage counts from the morning");
        assertTrue(digest.instructions().startsWith("夜间暂缓的通知（6月3日 22:00至6月4日 07:00），共涉及 2 起舆情"), digest.instructions());
        assertTrue(digest.instructions().contains("1. 【一般舆情】「宿舍停水三天」：研判并转交责任部门"), digest.instructions());
    }

    @Test
    void theDailyReportGoesEveryDayToTheLeadershipAndTheOfficeWithTheDaysMinorIncidents() {
        Harness h = new Harness("daily");
        // T0 is Monday 22:00 in Shanghai; the report of Tuesday is due 17:30 Shanghai = 09:30Z.
        h.change("inc-1", Level.NONE, Level.MINOR, m(5, 1, 0), T0.plus(Duration.ofHours(12)));
        h.change("inc-2", Level.NONE, Level.GENERAL, m(50, 5, 0), T0.plus(Duration.ofHours(2)));
        h.heartbeats(T0, Instant.parse("2024-06-10T10:00:00Z"), Duration.ofMinutes(30)); // through the weekend to Monday
        List<TestRecord<String, Notification>> reports = h.notifications.readRecordsToList().stream()
                .filter(r -> r.value().kind() == Notification.Kind.DAILY_REPORT).toList();
        assertEquals(14, reports.size(), "every day, Saturday and Sunday too, to two roles");
        Notification leadership = reports.get(0).value();
        Notification office = reports.get(1).value();
        assertEquals(Instant.parse("2024-06-04T09:30:00Z"), leadership.at());
        assertEquals(Role.LEADERSHIP_GROUP, leadership.role());
        assertEquals(Role.OFFICE, office.role());
        assertEquals("daily-report", reports.get(0).key());
        assertEquals(List.of("inc-1"), office.incidentIds(), "the day's minor incident");
        assertEquals(List.of("daily-report", "inform-department"), office.duties());
        assertTrue(office.instructions().contains("今日新增影响较小的舆情 1 起"), office.instructions());
        assertTrue(leadership.report().startsWith("# 舆情日报 2024-06-04"), leadership.report());
        assertTrue(leadership.report().contains("| 「宿舍停水三天」 https://bbs.example.edu/t/1 | 一般 | 50 | 5 | 0 | 平稳 |  | 有变化 |"), leadership.report());
        assertTrue(leadership.report().contains("- 「宿舍停水三天」 https://bbs.example.edu/t/1\n"), "the minor incident, its title quoted once: " + leadership.report());
        assertEquals(List.of(), reports.get(2).value().incidentIds(), "no minor incident the next day");
    }

    @Test
    void theDeskKeepsOnlyEachIncidentsLatestCheckpointOfAReportPeriod() {
        Harness h = new Harness("desk");
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), T0.plus(Duration.ofHours(2)));
        h.state("inc-1", Level.GENERAL, m(400, 30, 1), T0.plus(Duration.ofHours(3)));
        // hourly checkpoints until just before Tuesday's report at 09:30Z, T0 + 19.5 h
        h.heartbeats(T0, T0.plus(Duration.ofHours(19)), Duration.ofMinutes(30));
        KeyValueStore<String, DayEvent> desk = h.driver.getKeyValueStore(EscalationTopology.DAILY_STORE);
        KeyValueStore<String, Case> cases = h.driver.getKeyValueStore(EscalationTopology.INCIDENT_STORE);
        TestOutputTopic<String, DayEvent> deskEntries = h.driver.createOutputTopic(CONFIG.escalation().applicationId()
                + "-desk-entries-repartition", new StringDeserializer(), DayEvent.SERDE.deserializer());
        assertTrue(h.tracking.readValuesToList().size() >= 16, "checkpoints every hour");
        assertEquals(0, deskEntries.readValuesToList().stream().filter(DayEvent::tracked).count(), "held by the case until the report");
        assertEquals(T0.plus(Duration.ofHours(18)), cases.get("inc-1").unreported().at(), "the latest checkpoint so far");
        assertEquals(1, values(desk).stream().filter(e -> e.incidentId() != null && !e.tracked()).count(), "the level change at once");
        h.heartbeats(T0.plus(Duration.ofHours(19)), T0.plus(Duration.ofHours(20)), Duration.ofMinutes(30));
        assertEquals(List.of(T0.plus(Duration.ofHours(19))), deskEntries.readValuesToList().stream().filter(DayEvent::tracked)
                .map(DayEvent::at).toList(), "the desk hears the latest checkpoint only, before the heartbeat of its report");
        String report = h.notifications.readValuesToList().stream().filter(n -> n.kind() == Notification.Kind.DAILY_REPORT)
                .findFirst().orElseThrow().report();
        assertTrue(report.contains("| 一般 | 400 | 30 | 1 |"), "the counts of the latest checkpoint: " + report);
        assertEquals(1, values(desk).stream().filter(DayEvent::tracked).count(), "kept for the next report, as the latest it knows");
        assertEquals(null, cases.get("inc-1").unreported(), "the next checkpoint is not due yet");
    }

    @Test
    void aCheckpointAnEarlierReleaseKeptBesideItsInstantsChangesIsReportedThenLeaves() {
        Harness h = new Harness("desk-upgrade");
        Instant report = T0.plus(Duration.ofMinutes(19 * 60 + 30)); // Tuesday 09:30Z
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), report.minus(Duration.ofMinutes(50)));
        KeyValueStore<String, DayEvent> desk = h.driver.getKeyValueStore(EscalationTopology.DAILY_STORE);
        DayEvent change = values(desk).stream().filter(e -> e.incidentId() != null).findFirst().orElseThrow();
        // its first hourly checkpoint falls after the report: the report shows this one
        Instant at = report.minus(Duration.ofMinutes(20));
        String legacy = "c|" + SortableKeys.decimal(at.toEpochMilli()) + "|inc-1\u0000tracked";
        desk.put(legacy, new DayEvent(0, "inc-1", change.subject(), change.rootPost(), Level.GENERAL, m(777, 70, 7), at, null, false,
                null, null, true));
        h.heartbeats(T0, report.plus(Duration.ofMinutes(30)), Duration.ofMinutes(10));
        String first = h.notifications.readValuesToList().stream().filter(n -> n.kind() == Notification.Kind.DAILY_REPORT)
                .findFirst().orElseThrow().report();
        assertTrue(first.contains("| 一般 | 777 | 70 | 7 |"), first);
        h.heartbeats(report.plus(Duration.ofMinutes(30)), report.plus(Duration.ofHours(25)), Duration.ofMinutes(30));
        assertEquals(null, desk.get(legacy), "the next report had a later checkpoint");
        assertEquals(1, values(desk).stream().filter(DayEvent::tracked).count());
    }

    @Test
    void aSilenceIsHeldByEveryTaskAndHoldsBackWhatItCovers() {
        Harness h = new Harness("silence");
        h.act(new Action(null, null, Action.Kind.SILENCE, null, null, null,
                new Action.Silence(null, Action.Silence.Target.SUBJECT, "dormitory", DAY.plus(Duration.ofDays(1))), "李老师", "已知：停水检修", DAY));
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY.plus(Duration.ofMinutes(1)));
        assertEquals(List.of(), h.duties("inc-1"));
        KeyValueStore<String, SetSilence> silences = h.driver.getKeyValueStore(EscalationTopology.SILENCE_STORE);
        assertEquals(1, count(silences));
        assertTrue(h.driver.producedTopicNames().contains(CONFIG.escalation().applicationId() + "-" + EscalationTopology.SILENCE_STORE
                + "-changelog"), "changelogged: silences survive a restart");
        h.heartbeats(DAY, DAY.plus(Duration.ofDays(2)), Duration.ofHours(1));
        h.change("inc-2", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY.plus(Duration.ofDays(2)).plusSeconds(1));
        assertEquals(0, count(silences), "expired: it left the store");
    }

    @Test
    void anActionAheadOfTheClassifiersClockNeitherMovesTheClockNorHoldsBackWhatWasDecidedBeforeIt() {
        Harness h = new Harness("ahead");
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY);
        h.notifications.readValuesToList();
        // People set a silence two days on, while the classifier has decided up to DAY only (a replay, or a backlog).
        h.act(new Action(null, null, Action.Kind.SILENCE, null, null, null,
                new Action.Silence(null, Action.Silence.Target.SUBJECT, "dormitory", DAY.plus(Duration.ofDays(3))), "李老师",
                "放假", DAY.plus(Duration.ofDays(2))));
        assertEquals(List.of(), h.notifications.readValuesToList(), "no deadline of the two days fired on the action's time");
        h.heartbeats(DAY, DAY.plus(Duration.ofHours(3)), Duration.ofMinutes(10));
        assertFalse(h.duties("inc-1").isEmpty(), "what falls due before the silence was set goes out as the classifier's clock gets there");
    }

    @Test
    void theDutyBoardShowsEachOpenIncidentUntilItClosesAndEachSilenceUntilItEnds() {
        Harness h = new Harness("board");
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY);
        Map<String, String> info = tags(h.meters.get("escalation.open.incident.info").gauge());
        assertEquals(Map.of("incident", "inc-1", "subject", "dormitory", "title", "宿舍停水三天", "url", "https://bbs.example.edu/t/1"), info);
        assertEquals(2, board(h, "level"), "GENERAL");
        assertEquals(DAY.getEpochSecond(), board(h, "opened.timestamp"));
        var deadline = h.meters.get("escalation.open.incident.deadline.timestamp").gauge();
        assertEquals(DAY.plus(Duration.ofHours(2)).getEpochSecond(), deadline.value(), "the triage's");
        assertEquals("OFFICE", deadline.getId().getTag("role"));
        assertEquals("triage-and-forward", deadline.getId().getTag("duty"));
        assertEquals(0, board(h, "overdue.duties"));
        assertEquals(0, h.meters.find("escalation.open.incident.trend").gauges().size(), "no checkpoint yet");

        h.state("inc-1", Level.GENERAL, m(400, 30, 1), DAY.plus(Duration.ofMinutes(10)));
        assertEquals(400, board(h, "window.views"), "the counts as the classifier reports them");
        Instant forecastAt = DAY.plus(Duration.ofMinutes(20));
        h.forecast(new ForecastWarning("inc-1", "dormitory", Level.GENERAL, Level.MAJOR, "comments", 30, 100, 60,
                forecastAt, forecastAt.plus(Duration.ofMinutes(70)), ROOT));
        var forecast = h.meters.get("escalation.open.incident.forecast.timestamp").gauge();
        assertEquals(forecastAt.plus(Duration.ofMinutes(70)).getEpochSecond(), forecast.value());
        assertEquals("MAJOR", forecast.getId().getTag("next"));
        h.heartbeats(DAY, DAY.plus(Duration.ofHours(3)), Duration.ofMinutes(10));
        assertEquals(4, board(h, "overdue.duties"), "the major procedure the forecast started: the leadership group did none of its four");
        assertEquals(0, board(h, "trend"), "steady at the last checkpoint");
        var earliest = h.meters.find("escalation.open.incident.deadline.timestamp").gauges();
        assertEquals(1, earliest.size(), "one series: the earliest deadline's labels replace the triage's");
        assertEquals(Map.of("incident", "inc-1", "role", "LEADERSHIP_GROUP", "duty", "convene-emergency-meeting"), tags(earliest.iterator().next()));
        assertEquals(forecastAt.plus(Duration.ofMinutes(30)).getEpochSecond(), earliest.iterator().next().value(),
                "the meeting the forecast's major procedure called, due before the triage");

        h.act(new Action(null, null, Action.Kind.SILENCE, null, null, null,
                new Action.Silence("s-1", Action.Silence.Target.ROLE, "DEPARTMENT", DAY.plus(Duration.ofDays(1))), "李老师", "放假", DAY.plus(Duration.ofHours(3))));
        var silence = h.meters.get("escalation.silence.until.timestamp").gauge();
        assertEquals(DAY.plus(Duration.ofDays(1)).getEpochSecond(), silence.value());
        assertEquals(Map.of("silence", "s-1", "target", "ROLE", "value", "DEPARTMENT"), tags(silence));

        h.heartbeats(DAY.plus(Duration.ofHours(3)), DAY.plus(Duration.ofDays(1)).plusSeconds(60), Duration.ofHours(1));
        assertEquals(0, h.meters.find("escalation.silence.until.timestamp").gauges().size(), "expired");
        h.change("inc-1", Level.GENERAL, Level.NONE, m(0, 0, 0), DAY.plus(Duration.ofDays(3)));
        assertEquals(List.of(), board(h), "subsided: off the board");

        h.change("inc-2", Level.NONE, Level.MINOR, m(5, 1, 0), DAY.plus(Duration.ofDays(3)).plusSeconds(1));
        assertEquals(1, board(h, "level"), "MINOR");
        h.close();
        assertEquals(List.of(), board(h), "a task that leaves the instance takes its rows along");
    }

    private static List<io.micrometer.core.instrument.Meter> board(Harness h) {
        return h.meters.getMeters().stream().filter(x -> x.getId().getName().startsWith("escalation.open")
                || x.getId().getName().startsWith("escalation.silence")).toList();
    }

    @Test
    void aTitleIsOneShortLineOnTheBoard() {
        assertEquals("「食堂」 \"饭菜\" 有问题 第二行", DutyBoard.label("  「食堂」 \"饭菜\"\n有问题\t\u2028第二行 ", 60));
        String title = DutyBoard.label("很长".repeat(100), DutyBoard.TITLE_CHARS);
        assertEquals(DutyBoard.TITLE_CHARS, title.length());
        assertTrue(title.endsWith("…"), title);
        assertEquals("", DutyBoard.label(null, 60));
    }

    private static double board(Harness h, String name) {
        return h.meters.get("escalation.open.incident." + name).gauge().value();
    }

    private static Map<String, String> tags(io.micrometer.core.instrument.Meter meter) {
        Map<String, String> tags = new java.util.HashMap<>();
        meter.getId().getTags().forEach(t -> tags.put(t.getKey(), t.getValue()));
        return tags;
    }

    @Test
    void aForecastOfMajorTakesAGeneralIncidentToTheMajorProcedure() {
        Harness h = new Harness("forecast");
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 60, 0), DAY);
        h.notifications.readValuesToList();
        Instant at = DAY.plus(Duration.ofMinutes(20));
        h.forecast(new ForecastWarning("inc-1", "dormitory", Level.GENERAL, Level.MAJOR, "comments", 60, 100, 50, at,
                at.plus(Duration.ofHours(1)), ROOT));
        assertEquals(4, h.duties("inc-1").size());
    }

    @Test
    void aSimulatedOfficeRecordsItsActionsOnTheActionsTopic() {
        OpinionWatchConfig onTime = ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "1", "OW_ESCALATION_OFFICE", "ON_TIME")).inNamespace("test.");
        Harness h = new Harness("office", onTime);
        h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), DAY);
        h.heartbeats(DAY, DAY.plus(Duration.ofHours(3)), Duration.ofMinutes(10));
        List<TestRecord<String, Action>> acts = h.actionsOut.readRecordsToList();
        assertEquals("inc-1", acts.get(0).key());
        assertEquals(DAY.plus(Duration.ofHours(1)), acts.get(0).getRecordTime());
        assertEquals("triage-and-forward", acts.get(0).value().duty());
        assertTrue(h.duties("inc-1").contains("DEPARTMENT DUTIES respond,reply-same-day"));
    }

    private static <V> List<V> values(KeyValueStore<String, V> store) {
        List<V> values = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    private static long count(KeyValueStore<String, ?> store) {
        return values(store).size();
    }

    private static Timer timer(String incident, Instant due) {
        return new Timer(Timer.Kind.CHECKPOINT, incident, due, T0, 1, null);
    }

    @Test
    void aRecordThatCannotBeReadIsADeadLetterOfTheStageAndTheNextIsHandled() {
        // The driver keeps what a skipped record's handler writes only outside a transaction; the real broker's
        // transactions keep it too (runtime's DeadLetterHandlerTest).
        Properties atLeastOnce = new Properties();
        atLeastOnce.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        Harness h = new Harness("dead-letter", CONFIG, atLeastOnce);
        TestInputTopic<String, byte[]> raw = h.driver.createInputTopic(TOPICS.actions().name(), new StringSerializer(), new ByteArraySerializer());
        raw.pipeInput(new TestRecord<>("inc-1", "{\"schema\":\"action/2\",\"kind\":\"DANCED\"}".getBytes(StandardCharsets.UTF_8), DAY));
        h.change("inc-1", Level.NONE, Level.MAJOR, m(1000, 10, 0), DAY.plusSeconds(1));

        DeadLetter letter = h.deadLetters.readValue();
        assertEquals("escalation", letter.source());
        assertEquals(TOPICS.actions().name() + "-0@0", letter.location());
        assertTrue(letter.reason().startsWith("deserialization: cannot read the record: SerializationException: invalid action/2"), letter.reason());
        assertTrue(h.duties("inc-1").stream().anyMatch(d -> d.startsWith("LEADERSHIP_GROUP DUTIES ")), "the next record is handled");
        assertEquals(1.0, h.meters.get("stage.dead.letters").tags("kind", "deserialization").counter().count());
    }
}
