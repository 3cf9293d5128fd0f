package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.NamedIds;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.SortableKeys;
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.Reports;
import org.opinionwatch.escalation.plan.Texts;

/**
 * The desk: one task (a single partition) hears every incident's level changes and every notification that quiet
 * hours hold, and writes what covers several incidents: at the end of a role's quiet hours one digest of what they
 * held for it, and at the configured time of each day (or working day) the daily report (舆情日报) to the leadership
 * group and the office, with the day's minor incidents listed for the office to tell the departments of.
 *
 * <p>What is due at instant R goes out once every plan task has reached R by its heartbeats (each sends them here,
 * with its partition), never on the first record past R: the tasks write here at their own pace and their entries
 * come in no particular time order, so a record past R can come before another entry before R. Waiting for every
 * task's heartbeat makes digests and reports the same in every run; a replay, whose only heartbeat is its last, gets
 * them all at its end.
 */
final class DeskProcessor implements Processor<String, DayEvent, String, Notification> {
    private static final String LAST_REPORT = "\u0000last-report";
    private static final String REACHED = "\u0000reached-";
    /** Level changes by time. */
    private static final String CHANGE = "c|";
    private static final String HELD = "h|";
    /**
     * An incident's latest checkpoint or forecast of each report period, by the period's report time: a report reads
     * only the latest, and an incident checkpointed every hour would otherwise leave a day's worth here.
     */
    private static final String TRACKED = "t|";

    private final OpinionWatchConfig.Escalation settings;
    private final int sources;
    private final ZoneId zone;
    private final Texts texts;
    private final Reports reports;
    private ProcessorContext<String, Notification> context;
    private KeyValueStore<String, DayEvent> desk;

    /** @param sources how many plan tasks write here: the partitions of the stage's input topics */
    DeskProcessor(OpinionWatchConfig.Escalation settings, int sources) {
        this.settings = settings;
        this.sources = sources;
        this.zone = ZoneId.of(settings.zone());
        this.texts = new Texts(settings.locale(), zone);
        this.reports = new Reports(texts, settings);
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        this.context = context;
        this.desk = context.getStateStore(EscalationTopology.DAILY_STORE);
    }

    @Override
    public void process(Record<String, DayEvent> record) {
        DayEvent event = record.value();
        if (event.held() != null) {
            Notification n = event.held();
            String key = HELD + SortableKeys.decimal(n.deliverAt().toEpochMilli()) + "|" + n.role() + "|" + n.id();
            if (event.withdrawn()) {
                desk.delete(key); // sent at once after all
            } else {
                desk.put(key, event);
            }
            return;
        }
        if (event.tracked()) {
            String key = trackedKey(reports.reportCovering(event.at()), event.incidentId());
            DayEvent kept = desk.get(key);
            if (kept == null || !event.at().isBefore(kept.at())) {
                desk.put(key, event);
            }
            return;
        }
        if (event.incidentId() != null) {
            desk.put(changeKey(event.at(), event.incidentId()), event);
            return;
        }
        // Only heartbeats say how far a task has got: its entries need not come in time order (incidents are
        // independent, and a late opening is decided at its past instants).
        String reachedKey = REACHED + event.source();
        DayEvent reached = desk.get(reachedKey);
        if (reached == null || event.at().isAfter(reached.at())) {
            desk.put(reachedKey, event);
        }
        Instant reachedByAll = reachedByAll();
        if (reachedByAll != null) {
            digestsDue(reachedByAll);
            reportsDue(reachedByAll);
        }
    }

    /** The instant every plan task has reached, or null while one has sent no heartbeat. */
    private Instant reachedByAll() {
        Instant all = null;
        for (int p = 0; p < sources; p++) {
            DayEvent reached = desk.get(REACHED + p);
            if (reached == null) {
                return null;
            }
            all = all == null || reached.at().isBefore(all) ? reached.at() : all;
        }
        return all;
    }

    // ---- digests -----------------------------------------------------------------------------------------------

    /** One digest per role and end of quiet hours reached, of what they held, in order. */
    private void digestsDue(Instant reached) {
        Map<String, List<Notification>> groups = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, DayEvent> held = desk.range(HELD, HELD + SortableKeys.decimal(reached.toEpochMilli()) + "|\uffff")) {
            while (held.hasNext()) {
                KeyValue<String, DayEvent> kv = held.next();
                Notification n = kv.value.held();
                groups.computeIfAbsent(n.deliverAt().toEpochMilli() + "|" + n.role(), k -> new ArrayList<>()).add(n);
                done.add(kv.key);
            }
        }
        done.forEach(desk::delete);
        groups.values().forEach(this::digest);
    }

    private void digest(List<Notification> held) {
        held.sort(java.util.Comparator.comparing(Notification::at).thenComparing(Notification::id));
        Notification first = held.get(0);
        Role role = first.role();
        Instant deliverAt = first.deliverAt();
        LinkedHashSet<String> incidents = new LinkedHashSet<>();
        LinkedHashSet<String> duties = new LinkedHashSet<>();
        Map<String, Instant> deadlines = new LinkedHashMap<>();
        Level highest = Level.NONE;
        for (Notification n : held) {
            incidents.add(n.incidentId());
            duties.addAll(n.duties());
            n.deadlines().forEach((duty, due) -> deadlines.merge(duty, due, (a, b) -> a.isBefore(b) ? a : b));
            highest = n.level().isAbove(highest) ? n.level() : highest;
        }
        Instant from = quietStart(role, deliverAt);
        StringBuilder text = new StringBuilder(texts.t("kind.digest", texts.time(from), texts.time(deliverAt), incidents.size()));
        int i = 0;
        for (String incident : incidents) {
            List<Notification> about = held.stream().filter(n -> n.incidentId().equals(incident)).toList();
            LinkedHashSet<String> asked = new LinkedHashSet<>();
            about.forEach(n -> n.duties().forEach(d -> asked.add(Duty.of(d).map(x -> texts.duty(x, settings.reporting().county(),
                    settings.trackingEvery())).orElse(d))));
            Notification last = about.get(about.size() - 1);
            text.append('\n').append(texts.t("list.item", ++i, texts.t("level.heading", texts.level(last.level())) + texts.title(last.rootPost())
                    + texts.t("digest.separator") + String.join(texts.t("list.separator"), asked), ""));
        }
        Instant due = deadlines.values().stream().min(Instant::compareTo).orElse(null);
        String id = NamedIds.of("digest|" + role + "|" + deliverAt.toEpochMilli());
        context.forward(new Record<>("digest-" + role, new Notification(id, Notification.Kind.DIGEST, null, List.copyOf(incidents),
                first.subject(), highest, role, List.copyOf(duties), deadlines, text.toString(), deliverAt, due, deliverAt, null, null,
                reports.digest(from, deliverAt, held)), deliverAt.toEpochMilli()));
    }

    /** Where the quiet hours that end at {@code end} began. */
    private Instant quietStart(Role role, Instant end) {
        OpinionWatchConfig.QuietHours q = settings.roles().get(role).quietHours();
        Duration length = Duration.between(q.from(), q.to());
        length = length.isNegative() ? length.plusDays(1) : length;
        return end.minus(length);
    }

    // ---- the daily report --------------------------------------------------------------------------------------

    private void reportsDue(Instant reached) {
        DayEvent lastReport = desk.get(LAST_REPORT);
        Instant last = lastReport != null ? lastReport.at() : beforeEarliestChange(reached);
        for (Instant due = reports.nextReport(last); !due.isAfter(reached); due = reports.nextReport(due)) {
            report(last, due);
            desk.put(LAST_REPORT, DayEvent.tick(-1, due));
            last = due;
        }
    }

    /** Reports start with the day of the earliest change known (or of the instant reached, with none). */
    private Instant beforeEarliestChange(Instant reached) {
        try (KeyValueIterator<String, DayEvent> changes = desk.range(changeKey(Instant.EPOCH, ""), changeKey(reached, "\uffff"))) {
            return (changes.hasNext() ? changes.next().value.at() : reached).minusMillis(1);
        }
    }

    /**
     * The report at {@code due} of the changes in (last, due] and of the incidents still open, each with its counts,
     * trend and forecast as its latest entry up to {@code due} left them. Only each incident's latest change and latest
     * entry are kept for the next report.
     */
    private void report(Instant last, Instant due) {
        // In order of each incident's first change: the minor incidents are listed so.
        Map<String, KeyValue<String, DayEvent>> changes = new LinkedHashMap<>();
        Map<String, KeyValue<String, DayEvent>> latest = new HashMap<>();
        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, DayEvent> entries = desk.range(changeKey(Instant.EPOCH, ""), changeKey(due, "\uffff"))) {
            while (entries.hasNext()) {
                KeyValue<String, DayEvent> kv = entries.next();
                seen.add(kv.key);
                if (!kv.value.tracked()) {
                    changes.put(kv.value.incidentId(), kv);
                }
                latest.put(kv.value.incidentId(), kv); // by time, and so after the change at the same instant
            }
        }
        try (KeyValueIterator<String, DayEvent> entries = desk.range(TRACKED, trackedKey(due, "\uffff"))) {
            while (entries.hasNext()) {
                KeyValue<String, DayEvent> kv = entries.next();
                seen.add(kv.key);
                // A checkpoint at the instant of a level change came after it, as the plan gives them.
                latest.merge(kv.value.incidentId(), kv, (now, tracked) -> tracked.value.at().isBefore(now.value.at()) ? now : tracked);
            }
        }
        Set<String> kept = new HashSet<>();
        changes.values().forEach(e -> kept.add(e.key));
        latest.values().forEach(e -> kept.add(e.key));
        seen.stream().filter(key -> !kept.contains(key)).forEach(desk::delete);
        List<Reports.DayLine> lines = new ArrayList<>();
        List<Reports.DayLine> minor = new ArrayList<>();
        Level highest = Level.NONE;
        for (KeyValue<String, DayEvent> change : changes.values()) {
            DayEvent e = change.value;
            boolean changed = e.at().isAfter(last);
            KeyValue<String, DayEvent> latestEntry = latest.get(e.incidentId());
            DayEvent now = latestEntry.value;
            if (e.level() == Level.NONE) {
                // Reported once more, as subsided, then no longer open.
                desk.delete(change.key);
                desk.delete(latestEntry.key);
                if (!changed) {
                    continue;
                }
            }
            Reports.DayLine line = new Reports.DayLine(e.incidentId(), e.rootPost(), e.level(),
                    now.metrics() == null ? WindowMetrics.ZERO : now.metrics(), now.trend(), now.forecast(), changed);
            lines.add(line);
            if (changed && e.level() == Level.MINOR) {
                minor.add(line);
            }
            highest = e.level().compareTo(highest) > 0 ? e.level() : highest;
        }
        latest.keySet().stream().filter(id -> !changes.containsKey(id))
                .forEach(id -> desk.delete(latest.get(id).key)); // an entry of no incident the report knows
        if (lines.isEmpty()) {
            return; // nothing open, nothing changed: no report
        }
        LocalDate date = due.atZone(zone).toLocalDate();
        String report = reports.daily(date, lines, minor);
        List<String> listed = minor.stream().map(Reports.DayLine::incidentId).toList();
        String text = texts.t("kind.daily", date);
        send(due, "leadership", Role.LEADERSHIP_GROUP, highest, listed, List.of(Duty.DAILY_REPORT.key()), text, report, date);
        List<String> officeDuties = minor.isEmpty() ? List.of(Duty.DAILY_REPORT.key()) : List.of(Duty.DAILY_REPORT.key(), Duty.INFORM_DEPARTMENT.key());
        String officeText = minor.isEmpty() ? text : text + "\n" + texts.t("kind.daily-minor", minor.size());
        send(due, "office", Role.OFFICE, highest, listed, officeDuties, officeText, report, date);
    }

    private void send(Instant due, String copy, Role role, Level level, List<String> listed, List<String> duties, String text, String report, LocalDate date) {
        context.forward(new Record<>(Duty.DAILY_REPORT.key(), new Notification(NamedIds.of("daily-report|" + date + "|" + copy),
                Notification.Kind.DAILY_REPORT, null, listed, null, level, role, duties, Map.of(), text, due, null, null, null, null, report),
                due.toEpochMilli()));
    }

    /** Changes sort by time under their prefix; the bookkeeping keys start with U+0000, below every entry's key. */
    private static String changeKey(Instant at, String incidentId) {
        return CHANGE + SortableKeys.decimal(at.toEpochMilli()) + "|" + incidentId;
    }

    /** An incident's checkpoint or forecast, in the slot of the report that covers its instant. */
    private static String trackedKey(Instant report, String incidentId) {
        return TRACKED + SortableKeys.decimal(report.toEpochMilli()) + "|" + incidentId;
    }
}
