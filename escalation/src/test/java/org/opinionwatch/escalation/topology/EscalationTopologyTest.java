package org.opinionwatch.escalation.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Limits;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.TrackingCheckpoint.Trend;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.runtime.streams.DeadLetters;

class EscalationTopologyTest {
    /** One partition per topic, as the test driver has them. */
    static final OpinionWatchConfig CONFIG = ConfigLoader.load(null, Map.of("OW_KAFKA_PARTITIONS", "1")).inNamespace("test.");
    static final Topics TOPICS = CONFIG.topicNames();
    /** 22:00 in Shanghai: the night is quiet. */
    static final Instant T0 = Instant.parse("2024-06-03T14:00:00Z");
    static final PostRef ROOT = new PostRef("post-1", "https://bbs.example.edu/t/1", "宿舍停水三天");

    @TempDir
    Path stateDirs;
    private final List<Harness> open = new ArrayList<>();

    /** One TopologyTestDriver over the stage's real topology and real streams properties. */
    final class Harness implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, SeverityChange> severity;
        final TestInputTopic<String, IncidentState> incidents;
        final TestInputTopic<String, Heartbeat> clock;
        final TestInputTopic<String, Action> actions;
        final TestOutputTopic<String, Notification> notifications;
        final TestOutputTopic<String, TrackingCheckpoint> tracking;
        final TestOutputTopic<String, DeadLetter> deadLetters;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();

        Harness(String stateDir) {
            this(stateDir, new Properties());
        }

        Harness(String stateDir, Properties overrides) {
            Properties properties = Escalation.streamsProperties(CONFIG);
            properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve(stateDir).toString());
            // The driver has no fetches in flight to wait for: with idling on, it would hold back a record until
            // every input topic has one. The tests pipe the inputs in timestamp order themselves.
            properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
            new DeadLetters("escalation", TOPICS.escalationDlq().name(), meters).applyTo(properties);
            properties.putAll(overrides);
            driver = new TopologyTestDriver(EscalationTopology.build(CONFIG, meters), properties);
            severity = driver.createInputTopic(TOPICS.severity().name(), TOPICS.severity().keySerde().serializer(),
                    TOPICS.severity().valueSerde().serializer());
            incidents = driver.createInputTopic(TOPICS.incidents().name(), TOPICS.incidents().keySerde().serializer(),
                    TOPICS.incidents().valueSerde().serializer());
            clock = driver.createInputTopic(TOPICS.clock().name(), TOPICS.clock().keySerde().serializer(),
                    TOPICS.clock().valueSerde().serializer());
            actions = driver.createInputTopic(TOPICS.actions().name(), TOPICS.actions().keySerde().serializer(),
                    TOPICS.actions().valueSerde().serializer());
            notifications = driver.createOutputTopic(TOPICS.notifications().name(),
                    TOPICS.notifications().keySerde().deserializer(), TOPICS.notifications().valueSerde().deserializer());
            tracking = driver.createOutputTopic(TOPICS.tracking().name(),
                    TOPICS.tracking().keySerde().deserializer(), TOPICS.tracking().valueSerde().deserializer());
            deadLetters = driver.createOutputTopic(TOPICS.escalationDlq().name(), new StringDeserializer(),
                    TOPICS.escalationDlq().valueSerde().deserializer());
            open.add(this);
        }

        void change(String incident, Level from, Level to, WindowMetrics metrics, Instant at) {
            severity.pipeInput(incident, new SeverityChange(incident, "dormitory", from, to, List.of("views>=1000"), metrics,
                    Duration.ofHours(24), at, at.plusSeconds(3), ROOT, List.of(ROOT), List.of("complaint"), List.of()), at);
        }

        void state(String incident, Level level, WindowMetrics metrics, Instant updatedAt) {
            incidents.pipeInput(incident, new IncidentState(incident, "dormitory", level, metrics, T0.minusSeconds(600),
                    updatedAt, ROOT, 3, java.util.List.of()), updatedAt);
        }

        void act(String incident, Action.Kind kind, String by, Instant at) {
            actions.pipeInput(incident, Action.of(incident, kind, by, "", at), at);
        }

        /** The notifications so far, as "ROLE duty" lines, those of {@code incident} only. */
        List<String> duties(String incident) {
            return notifications.readValuesToList().stream().filter(n -> n.incidentId().equals(incident))
                    .map(n -> n.role() + " " + n.duty()).toList();
        }

        double gauge(String name) {
            return meters.get(name).gauge().value();
        }

        void heartbeat(Instant time) {
            clock.pipeInput(null, new Heartbeat(time, "test"), time);
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
    void aMajorChangeGoesToTheLeadershipGroupAtOnce() {
        Harness h = new Harness("major");
        h.change("inc-1", Level.GENERAL, Level.MAJOR, m(1000, 40, 0), T0);

        List<TestRecord<String, Notification>> out = h.notifications.readRecordsToList();
        assertEquals(4, out.size());
        List<Notification> leadership = out.stream().map(TestRecord::value).filter(n -> n.role() == Role.LEADERSHIP_GROUP).toList();
        assertEquals(List.of("report-to-leadership", "convene-emergency-meeting"), leadership.stream().map(Notification::duty).toList());
        leadership.forEach(n -> assertEquals(T0.plus(Duration.ofMinutes(30)), n.due(), "at once: within escalation.atOnce"));
        for (TestRecord<String, Notification> r : out) {
            assertEquals("inc-1", r.key());
            assertEquals(T0, r.getRecordTime(), "the record time is the event's at");
            assertEquals(Level.MAJOR, r.value().level());
        }
    }

    @Test
    void aGeneralChangeMustBeForwardedWithinTwoHoursAndAnsweredWithinADay() {
        Harness h = new Harness("general");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(50, 5, 0), T0);

        Map<String, Instant> due = new java.util.HashMap<>();
        h.notifications.readValuesToList().forEach(n -> due.put(n.duty(), n.due()));
        assertEquals(T0.plus(Duration.ofHours(2)), due.get("triage-and-forward"));
        assertEquals(T0.plus(Duration.ofDays(1)), due.get("respond"));
        assertEquals(T0.plus(Duration.ofDays(1)), due.get("receive-result"));
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
        h.change("inc-1", Level.NONE, Level.GENERAL, m(10, 1, 0), T0);
        h.notifications.readRecordsToList();

        h.heartbeat(T0.plus(Duration.ofMinutes(59)));
        h.heartbeat(T0.plus(Duration.ofHours(1)).minusMillis(1));
        assertTrue(h.tracking.isEmpty(), "before the hour");
        h.heartbeat(T0.plus(Duration.ofHours(1)));
        assertTrue(h.tracking.isEmpty(), "at the hour a state of that same instant may still come");
        h.heartbeat(T0.plus(Duration.ofMinutes(61)));
        assertEquals(List.of(1), h.tracking.readValuesToList().stream().map(TrackingCheckpoint::sequence).toList());
        h.heartbeat(T0.plus(Duration.ofMinutes(89)));
        assertTrue(h.notifications.isEmpty(), "nothing is due yet");
        h.heartbeat(T0.plus(Duration.ofMinutes(91)));
        assertEquals(List.of("reminder"), h.notifications.readValuesToList().stream().map(Notification::duty).toList(),
                "30 min before triage-and-forward is due");
        h.heartbeat(T0.plus(Duration.ofMinutes(119)));
        assertTrue(h.tracking.isEmpty());
        assertTrue(h.notifications.isEmpty());
    }

    @Test
    void aMinorIncidentGetsNoHourlyTracking() {
        Harness h = new Harness("minor");
        h.change("inc-1", Level.NONE, Level.MINOR, m(5, 0, 0), T0);
        h.heartbeats(T0, T0.plus(Duration.ofHours(26)), Duration.ofMinutes(30));
        assertEquals(List.of("inform-department", "include-in-daily-report"), h.notifications.readValuesToList().stream()
                .filter(n -> n.incidentId().equals("inc-1")).map(Notification::duty).toList());
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
            h.change("inc-1", Level.NONE, Level.GENERAL, m(50, 5, 0), T0);
            h.state("inc-1", Level.GENERAL, m(400, 80, 0), T0.plus(Duration.ofMinutes(90)));
            h.change("inc-1", Level.GENERAL, Level.CRITICAL, m(3000, 80, 0), T0.plus(Duration.ofHours(2)));
            h.heartbeats(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(28)), Duration.ofMinutes(15));
            List<String> ids = new ArrayList<>();
            h.notifications.readValuesToList().forEach(n -> ids.add(n.id()));
            h.tracking.readValuesToList().forEach(c -> ids.add(c.id()));
            runs.add(ids);
            h.close();
        }
        assertTrue(runs.get(0).size() > 3 + 5 + 1 + 24, "plan duties, reminders, overdue notices, bulletins, checkpoints");
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(runs.get(0).size(), runs.get(0).stream().distinct().count(), "every id is distinct");
    }

    @Test
    void roundsAndTimersAreKeptInPersistentChangeloggedStores() {
        // The driver wipes its state on close, so a restart is not simulated here: what makes rounds and pending
        // timers survive one is that both stores are persistent and written to changelog topics, checked here.
        Harness h = new Harness("stores");
        h.change("inc-1", Level.NONE, Level.MAJOR, m(1200, 30, 1), T0);
        h.heartbeats(T0, T0.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));
        String applicationId = CONFIG.escalation().applicationId();
        assertTrue(h.driver.producedTopicNames().containsAll(List.of(
                applicationId + "-" + EscalationTopology.INCIDENT_STORE + "-changelog",
                applicationId + "-" + EscalationTopology.TIMER_STORE + "-changelog",
                applicationId + "-" + EscalationTopology.DAILY_STORE + "-changelog")), h.driver.producedTopicNames().toString());

        KeyValueStore<String, IncidentMemory> incidents = h.driver.getKeyValueStore(EscalationTopology.INCIDENT_STORE);
        KeyValueStore<String, Timer> timers = h.driver.getKeyValueStore(EscalationTopology.TIMER_STORE);
        assertTrue(incidents.persistent() && timers.persistent());
        IncidentMemory memory = incidents.get("inc-1");
        assertEquals(new IncidentMemory.Round(T0, 3, m(1200, 30, 1)), memory.round());
        Instant next = T0.plus(Duration.ofHours(3));
        Timer checkpoint = new Timer(Timer.Kind.CHECKPOINT, "inc-1", T0, 3, null);
        assertEquals(checkpoint, timers.get(checkpoint.key(next)));
    }

    @Test
    void stateRecordsNameTheirSchemaAndRoundTrip() {
        IncidentMemory memory = IncidentMemory.fresh("inc-1").withMetrics(m(1, 2, 3), T0).withRound(new IncidentMemory.Round(T0, 4, m(0, 1, 2)));
        byte[] json = IncidentMemory.SERDE.serialize("t", memory);
        assertTrue(new String(json, java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"schema\":\"escalation-incident/2\""));
        assertEquals(memory, IncidentMemory.SERDE.deserialize("t", json));
        Timer timer = new Timer(Timer.Kind.REMINDER, "inc-1", T0, 0, "n-1");
        assertEquals(timer, Timer.SERDE.deserialize("t", Timer.SERDE.serialize("t", timer)));
    }

    @Test
    void timerKeysSortByDueTime() {
        List<String> keys = new ArrayList<>(List.of(
                timer("a").key(Instant.ofEpochMilli(10_000_000_000_000L)),
                timer("zzz").key(Instant.ofEpochMilli(999_999_999_999L)),
                timer("b").key(Instant.ofEpochMilli(1_000_000_000_000L))));
        java.util.Collections.sort(keys);
        assertTrue(keys.get(0).contains("|zzz|") && keys.get(1).contains("|b|") && keys.get(2).contains("|a|"), keys.toString());
        assertTrue(timer("x").key(Instant.ofEpochMilli(999)).compareTo(Timer.upperBound(1000)) < 0);
        assertTrue(timer("x").key(Instant.ofEpochMilli(1000)).compareTo(Timer.upperBound(1000)) > 0);
    }

    // --- the plan's rules over time ---

    @Test
    void aDeadlineGetsAReminderThenAnOverdueNoticeToTheRoleAboveUnlessItsActionComes() {
        Harness h = new Harness("deadlines");
        h.change("done", Level.MINOR, Level.GENERAL, m(50, 5, 0), T0);
        h.change("late", Level.MINOR, Level.GENERAL, m(50, 5, 0), T0);
        h.notifications.readValuesToList();
        h.act("done", Action.Kind.FORWARDED, "王老师", T0.plus(Duration.ofMinutes(40)));
        h.heartbeats(T0, T0.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));

        List<Notification> late = h.notifications.readValuesToList().stream().filter(n -> n.incidentId().equals("late")).toList();
        assertEquals(List.of("OFFICE reminder", "LEADERSHIP_GROUP overdue"), late.stream().map(n -> n.role() + " " + n.duty()).toList(),
                "triage-and-forward: reminded 30 min before, overdue to the office's escalatesTo at 2 h");
        assertEquals(T0.plus(Duration.ofMinutes(90)), late.get(0).at());
        assertEquals(T0.plus(Duration.ofHours(2)), late.get(0).due());
        assertEquals(T0.plus(Duration.ofHours(2)), late.get(1).at());
        assertTrue(late.get(1).instructions().contains("triage-and-forward"), late.get(1).instructions());
        assertEquals(List.of(), h.duties("done"), "forwarded in time: no reminder, no overdue notice");
    }

    @Test
    void theDeadlineGaugesAndNotificationCountsFollowThePlan() {
        Harness h = new Harness("meters");
        h.change("done", Level.MINOR, Level.GENERAL, m(50, 5, 0), T0);
        h.change("late", Level.MINOR, Level.GENERAL, m(50, 5, 0), T0);
        List<Notification> sent = new ArrayList<>(h.notifications.readValuesToList());
        double pending = h.gauge("escalation.deadlines.pending");
        assertEquals(sent.stream().filter(n -> n.due() != null).count(), (long) pending, "every duty with a deadline is pending");
        assertEquals(0, h.gauge("escalation.deadlines.overdue"));

        h.act("done", Action.Kind.FORWARDED, "王老师", T0.plus(Duration.ofMinutes(40)));
        assertEquals(pending - 1, h.gauge("escalation.deadlines.pending"), "forwarded: its duty is met");
        h.heartbeats(T0, T0.plus(Duration.ofMinutes(150)), Duration.ofMinutes(10));
        sent.addAll(h.notifications.readValuesToList());
        assertEquals(1, h.gauge("escalation.deadlines.overdue"), "late's triage-and-forward passed its 2 h");
        assertEquals(pending - 2, h.gauge("escalation.deadlines.pending"));

        assertEquals(2, h.meters.get("escalation.notifications").tags("kind", "triage-and-forward", "role", "OFFICE").counter().count());
        assertEquals(1, h.meters.get("escalation.notifications").tags("kind", "overdue", "role", "LEADERSHIP_GROUP").counter().count());
        assertEquals(sent.size(), h.meters.find("escalation.notifications").counters().stream().mapToDouble(c -> c.count()).sum(),
                "every notification is counted once");
    }

    @Test
    void resolvedSettlesEveryPendingDuty() {
        Harness h = new Harness("resolved");
        h.change("inc-1", Level.NONE, Level.CRITICAL, m(5000, 600, 5), T0);
        h.notifications.readValuesToList();
        h.act("inc-1", Action.Kind.RESOLVED, "校办", T0.plus(Duration.ofMinutes(5)));
        h.heartbeats(T0, T0.plus(Duration.ofHours(30)), Duration.ofMinutes(30));
        assertTrue(h.duties("inc-1").stream().noneMatch(d -> d.endsWith(" reminder") || d.endsWith(" overdue")), h.duties("inc-1").toString());
    }

    @Test
    void aGeneralIncidentThatKeepsGrowingGetsTheMajorProcedure() {
        Harness h = new Harness("growing");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.act("inc-1", Action.Kind.RESOLVED, "office", T0.plusSeconds(1)); // keep the deadlines out of the way
        h.notifications.readValuesToList();
        for (int k = 1; k <= 3; k++) {
            h.state("inc-1", Level.GENERAL, m(100 + 100L * k, 10 + 10L * k, 0), T0.plus(Duration.ofHours(k)).minusSeconds(60));
            h.heartbeat(T0.plus(Duration.ofHours(k)).plusSeconds(1));
        }
        List<Notification> out = h.notifications.readValuesToList();
        assertEquals(List.of("LEADERSHIP_GROUP report-to-leadership", "LEADERSHIP_GROUP convene-emergency-meeting",
                "SPOKESPERSON speak-with-one-voice", "OFFICE track-continuously"), out.stream().map(n -> n.role() + " " + n.duty()).toList(),
                "growing at 3 checkpoints in a row");
        assertEquals(T0.plus(Duration.ofHours(3)), out.get(0).at());
        assertEquals(Level.MAJOR, out.get(0).level());
        assertTrue(out.get(0).instructions().contains("kept growing at 3 checkpoints"), out.get(0).instructions());
    }

    @Test
    void aGeneralIncidentNotCalmAfter24HoursGetsTheMajorProcedure() {
        Harness h = new Harness("not-calm");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.act("inc-1", Action.Kind.RESOLVED, "office", T0.plusSeconds(1));
        h.heartbeats(T0, T0.plus(Duration.ofMinutes(23 * 60 + 30)), Duration.ofMinutes(30));
        h.state("inc-1", Level.GENERAL, m(150, 12, 0), T0.plus(Duration.ofMinutes(23 * 60 + 40))); // still growing at 24 h
        h.heartbeats(T0.plus(Duration.ofMinutes(23 * 60 + 30)), T0.plus(Duration.ofHours(27)), Duration.ofMinutes(30));
        assertEquals(25, h.tracking.readValuesToList().size(), "growing at the 24th: tracked on, until the 25th shows no growth");
        List<Notification> procedure = h.notifications.readValuesToList().stream()
                .filter(n -> n.incidentId().equals("inc-1") && n.duty().equals("report-to-leadership")).toList();
        assertEquals(1, procedure.size());
        assertEquals(T0.plus(Duration.ofHours(24)), procedure.get(0).at());
        assertTrue(procedure.get(0).instructions().contains("has not calmed down within 1 day: still growing"), procedure.get(0).instructions());
    }

    @Test
    void majorIncidentsGetBulletinsAtTheirPeriodUntilTheySubside() {
        Harness h = new Harness("bulletins");
        h.change("inc-1", Level.GENERAL, Level.MAJOR, m(1000, 40, 0), T0);
        h.state("inc-1", Level.MAJOR, m(1500, 90, 1), T0.plus(Duration.ofHours(3)));
        h.heartbeats(T0, T0.plus(Duration.ofHours(9)), Duration.ofMinutes(30));
        h.change("inc-1", Level.MAJOR, Level.NONE, m(0, 0, 0), T0.plus(Duration.ofHours(9)).plusSeconds(1));
        h.heartbeats(T0.plus(Duration.ofHours(9)), T0.plus(Duration.ofHours(20)), Duration.ofMinutes(30));
        List<Notification> bulletins = h.notifications.readValuesToList().stream().filter(n -> n.duty().equals("bulletin")).toList();
        assertEquals(List.of(T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(8))), bulletins.stream().map(Notification::at).toList());
        assertTrue(bulletins.get(0).report().startsWith("# 网络舆情通报 No. 1: dormitory"), bulletins.get(0).report());
        assertTrue(bulletins.get(0).report().contains("1500 views, 90 comments, 1 mainstream outlets; since the last bulletin: +500 views, +50 comments, +1 outlets"),
                bulletins.get(0).report());
        assertTrue(bulletins.get(0).report().contains("report-to-leadership (LEADERSHIP_GROUP), due 2024-06-03 22:30: **overdue**"), bulletins.get(0).report());
    }

    @Test
    void theDailyReportGoesToTheLeadershipAt1730ShanghaiOnWorkingDays() {
        Harness h = new Harness("daily");
        // T0 is Monday 22:00 in Shanghai; the report of Tuesday is due 17:30 Shanghai = 09:30Z.
        h.change("inc-1", Level.NONE, Level.MINOR, m(5, 1, 0), T0);
        h.change("inc-2", Level.NONE, Level.GENERAL, m(50, 5, 0), T0.plus(Duration.ofHours(2)));
        h.heartbeats(T0, Instant.parse("2024-06-10T10:00:00Z"), Duration.ofMinutes(30)); // through the weekend to Monday
        List<TestRecord<String, Notification>> reports = h.notifications.readRecordsToList().stream()
                .filter(r -> r.value().duty().equals("daily-report")).toList();
        assertEquals(List.of("2024-06-04T09:30:00Z", "2024-06-05T09:30:00Z", "2024-06-06T09:30:00Z", "2024-06-07T09:30:00Z",
                        "2024-06-10T09:30:00Z"), reports.stream().map(r -> r.value().at().toString()).toList(),
                "Tuesday to Friday, then Monday: no report on Saturday and Sunday");
        Notification tuesday = reports.get(0).value();
        assertEquals(Role.LEADERSHIP_GROUP, tuesday.role());
        assertEquals("daily-report", reports.get(0).key());
        assertTrue(tuesday.report().startsWith("# 舆情日报 (daily report) 2024-06-04"), tuesday.report());
        assertTrue(tuesday.report().contains("| `inc-2` | dormitory | general (一般) | 50 | 5 | 0 | changed |"), tuesday.report());
        assertTrue(reports.get(1).value().report().contains("0 incident(s) changed level today; 2 open."), reports.get(1).value().report());
    }

    @Test
    void afterSubsidingAnAftercareThenAReviewWithTheResponseTimes() {
        Harness h = new Harness("review");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.act("inc-1", Action.Kind.FORWARDED, "舆情办", T0.plus(Duration.ofHours(1)));
        h.act("inc-1", Action.Kind.RESPONDED, "后勤处", T0.plus(Duration.ofHours(30)));
        h.change("inc-1", Level.GENERAL, Level.NONE, m(0, 0, 0), T0.plus(Duration.ofHours(50)));
        h.heartbeats(T0, T0.plus(Duration.ofDays(6)), Duration.ofHours(1));
        List<Notification> reviews = h.notifications.readValuesToList().stream().filter(n -> n.duty().equals("review")).toList();
        assertEquals(1, reviews.size());
        Notification review = reviews.get(0);
        Instant aftercareOver = T0.plus(Duration.ofHours(50)).plus(Duration.ofDays(3));
        assertEquals(aftercareOver, review.at());
        assertEquals(aftercareOver.plus(Duration.ofDays(7)), review.due());
        assertTrue(review.report().contains("| triage-and-forward | OFFICE | 2024-06-03 22:00 | 2024-06-04 00:00 | 2024-06-03 23:00 | 舆情办 | on time |"), review.report());
        assertTrue(review.report().contains("| respond | DEPARTMENT | 2024-06-03 22:00 | 2024-06-04 22:00 | 2024-06-05 04:00 | 后勤处 | late by 6 h |"), review.report());
        assertTrue(review.report().contains("| receive-result | LEADERSHIP_GROUP | 2024-06-03 22:00 | 2024-06-04 22:00 | — | — | not done |"), review.report());
    }

    @Test
    void whatPeopleWroteIsQuotedShortInTheTimelineAndTheReview() {
        Harness h = new Harness("long-note");
        String note = "我们已经处理".repeat(2_000);
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        for (int i = 0; i < 300; i++) { // more lines than a timeline keeps
            h.actions.pipeInput("inc-1", Action.of("inc-1", Action.Kind.FORWARDED, "舆情办", note, T0.plusSeconds(i + 1)), T0.plusSeconds(i + 1));
        }
        h.change("inc-1", Level.GENERAL, Level.NONE, m(0, 0, 0), T0.plus(Duration.ofHours(50)));
        h.heartbeats(T0, T0.plus(Duration.ofDays(6)), Duration.ofHours(1));
        Notification review = h.notifications.readValuesToList().stream().filter(n -> n.duty().equals("review")).findFirst().orElseThrow();
        String timeline = review.report().substring(review.report().indexOf("## Timeline"));
        List<String> quoted = timeline.lines().filter(l -> l.contains("forwarded by 舆情办")).toList();
        assertTrue(quoted.size() > 100 && timeline.lines().filter(l -> l.startsWith("- ")).count() <= IncidentMemory.TIMELINE,
                "the latest lines of the timeline: " + quoted.size());
        for (String line : quoted) {
            String what = line.substring(line.indexOf(": ") + 2);
            assertEquals(Limits.QUOTED_LINE_CHARS, what.length(), line);
            assertTrue(what.endsWith(Limits.TRUNCATED), line);
        }
        assertTrue(Topics.NOTIFICATION.serialize("", review).length < 300_000, "the review stays small");
    }

    @Test
    void aRecordThatCannotBeReadIsADeadLetterOfTheStageAndTheNextIsHandled() {
        // The driver keeps what a skipped record's handler writes only outside a transaction; the real broker's
        // transactions keep it too (runtime's DeadLetterHandlerTest).
        Properties atLeastOnce = new Properties();
        atLeastOnce.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        Harness h = new Harness("dead-letter", atLeastOnce);
        TestInputTopic<String, byte[]> raw = h.driver.createInputTopic(TOPICS.actions().name(), new StringSerializer(), new ByteArraySerializer());
        raw.pipeInput(new TestRecord<>("inc-1", "{\"schema\":\"action/1\",\"kind\":\"DANCED\"}".getBytes(StandardCharsets.UTF_8), T0));
        h.change("inc-1", Level.NONE, Level.MAJOR, m(1000, 10, 0), T0.plusSeconds(1));
        DeadLetter letter = h.deadLetters.readValue();
        assertEquals("escalation", letter.source());
        assertEquals(TOPICS.actions().name() + "-0@0", letter.location());
        assertTrue(letter.reason().startsWith("deserialization: cannot read the record: SerializationException: invalid action/1"), letter.reason());
        assertTrue(h.duties("inc-1").contains("LEADERSHIP_GROUP report-to-leadership"), "the next record is handled: " + h.duties("inc-1"));
        assertEquals(1.0, h.meters.get("stage.dead.letters").tags("kind", "deserialization").counter().count());
    }

    @Test
    void aRelapseDuringAftercareIsReportedAndPutsTheReviewOff() {
        Harness h = new Harness("relapse");
        h.change("inc-1", Level.MINOR, Level.GENERAL, m(100, 10, 0), T0);
        h.change("inc-1", Level.GENERAL, Level.NONE, m(0, 0, 0), T0.plus(Duration.ofHours(50)));
        h.change("inc-1", Level.NONE, Level.GENERAL, m(90, 9, 0), T0.plus(Duration.ofHours(70)));
        h.heartbeats(T0.plus(Duration.ofHours(70)), T0.plus(Duration.ofDays(6)), Duration.ofHours(1));
        List<String> duties = h.duties("inc-1");
        assertTrue(duties.contains("OFFICE relapse"), duties.toString());
        assertTrue(!duties.contains("OFFICE review"), "the first aftercare ended in a relapse: " + duties);
    }

    private static Timer timer(String incident) {
        return new Timer(Timer.Kind.CHECKPOINT, incident, T0, 1, null);
    }
}
