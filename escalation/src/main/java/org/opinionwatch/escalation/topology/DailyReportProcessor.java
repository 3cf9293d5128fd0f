package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.SortableKeys;
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.Reports;
import org.opinionwatch.escalation.plan.ResponsePlan;

/**
 * The daily report (舆情日报): one task hears every incident's level changes (a single partition) and, at the
 * configured time of each working day in event time, sends the leadership group that day's changes and the open
 * incidents. A day with neither gives no report.
 *
 * <p>The report of instant R goes out once every plan task has reached R by its heartbeats (each sends them here,
 * with its partition), never on the first record past R: the tasks write here at their own pace and their changes
 * come in no particular time order, so a record past R can come before another change before R. Waiting for every
 * task's heartbeat makes the report the same in every run; a replay, whose only heartbeat is its last, gets all its
 * reports at its end.
 */
final class DailyReportProcessor implements Processor<String, DayEvent, String, Notification> {
    private static final String LAST_REPORT = "\u0000last-report";
    private static final String REACHED = "\u0000reached-";

    private final OpinionWatchConfig.DailyReport settings;
    private final int sources;
    private final ZoneId zone;
    private final Reports reports;
    private ProcessorContext<String, Notification> context;
    private KeyValueStore<String, DayEvent> day;

    /** @param sources how many plan tasks write here: the partitions of the stage's input topics */
    DailyReportProcessor(OpinionWatchConfig.DailyReport settings, int sources) {
        this.settings = settings;
        this.sources = sources;
        this.zone = ZoneId.of(settings.zone());
        this.reports = new Reports(zone);
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        this.context = context;
        this.day = context.getStateStore(EscalationTopology.DAILY_STORE);
    }

    @Override
    public void process(Record<String, DayEvent> record) {
        DayEvent event = record.value();
        if (event.incidentId() != null) {
            day.put(changeKey(event), event);
            return;
        }
        // Only heartbeats say how far a task has got: its changes need not come in time order (incidents are
        // independent, and a late opening is decided at its past instants).
        String reachedKey = REACHED + event.source();
        DayEvent reached = day.get(reachedKey);
        if (reached == null || event.at().isAfter(reached.at())) {
            day.put(reachedKey, event);
        }
        reportWhatIsDue();
    }

    /** Every report whose instant all plan tasks have reached, in order. */
    private void reportWhatIsDue() {
        Instant reachedByAll = null;
        for (int p = 0; p < sources; p++) {
            DayEvent reached = day.get(REACHED + p);
            if (reached == null) {
                return;
            }
            reachedByAll = reachedByAll == null || reached.at().isBefore(reachedByAll) ? reached.at() : reachedByAll;
        }
        DayEvent lastReport = day.get(LAST_REPORT);
        Instant last = lastReport != null ? lastReport.at() : beforeEarliestChange(reachedByAll);
        for (Instant due = nextReport(last); !due.isAfter(reachedByAll); due = nextReport(due)) {
            report(last, due);
            day.put(LAST_REPORT, DayEvent.tick(-1, due));
            last = due;
        }
    }

    /** Reports start with the day of the earliest change known (or of the instant reached, with none). */
    private Instant beforeEarliestChange(Instant reached) {
        try (KeyValueIterator<String, DayEvent> changes = day.range(changeKey(Instant.EPOCH, ""), changeKey(reached, "\uffff"))) {
            return (changes.hasNext() ? changes.next().value.at() : reached).minusMillis(1);
        }
    }

    /** The report at {@code due} of the changes in (last, due] and of the incidents still open. */
    private void report(Instant last, Instant due) {
        Map<String, DayEvent> latest = new LinkedHashMap<>();
        List<String> superseded = new ArrayList<>();
        try (KeyValueIterator<String, DayEvent> changes = day.range(changeKey(Instant.EPOCH, ""), changeKey(due, "\uffff"))) {
            while (changes.hasNext()) {
                KeyValue<String, DayEvent> kv = changes.next();
                DayEvent before = latest.put(kv.value.incidentId(), kv.value);
                if (before != null) {
                    superseded.add(changeKey(before));
                }
            }
        }
        superseded.forEach(day::delete);
        List<Reports.DayLine> lines = new ArrayList<>();
        Level highest = Level.NONE;
        for (DayEvent e : latest.values()) {
            boolean changed = e.at().isAfter(last);
            if (e.level() == Level.NONE) {
                day.delete(changeKey(e)); // reported once more, as subsided, then no longer open
                if (!changed) {
                    continue;
                }
            }
            lines.add(new Reports.DayLine(e.incidentId(), e.subject(), e.level(), e.metrics() == null ? WindowMetrics.ZERO : e.metrics(), changed));
            highest = e.level().compareTo(highest) > 0 ? e.level() : highest;
        }
        if (lines.isEmpty()) {
            return; // nothing open, nothing changed: no report
        }
        LocalDate date = due.atZone(zone).toLocalDate();
        context.forward(new Record<>(DayEvent.KEY, new Notification(ResponsePlan.uuid("daily-report|" + date), DayEvent.KEY,
                "daily report " + date, highest, Role.LEADERSHIP_GROUP, Duty.DAILY_REPORT.key(),
                "The daily opinion report (舆情日报) of " + date + " for the leadership group.", due, null, null,
                reports.daily(date, lines)), due.toEpochMilli()));
    }

    /** The first report time after {@code after}: the configured time of day, on a working day if so configured. */
    Instant nextReport(Instant after) {
        ZonedDateTime t = after.atZone(zone).toLocalDate().atTime(settings.at()).atZone(zone);
        while (!t.toInstant().isAfter(after) || settings.workingDaysOnly() && t.getDayOfWeek().getValue() >= 6) {
            t = t.plus(Duration.ofDays(1)).toLocalDate().atTime(settings.at()).atZone(zone);
        }
        return t.toInstant();
    }

    private static String changeKey(DayEvent e) {
        return changeKey(e.at(), e.incidentId());
    }

    /** Changes sort by time; the bookkeeping keys start with U+0000, below every change key, outside their ranges. */
    private static String changeKey(Instant at, String incidentId) {
        return SortableKeys.decimal(at.toEpochMilli()) + "|" + incidentId;
    }
}
