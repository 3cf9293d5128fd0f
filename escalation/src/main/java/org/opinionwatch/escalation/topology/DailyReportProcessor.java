package org.opinionwatch.escalation.topology;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
import org.opinionwatch.escalation.plan.Duty;
import org.opinionwatch.escalation.plan.Reports;
import org.opinionwatch.escalation.plan.ResponsePlan;

/**
 * The daily report (舆情日报): one task sees every incident's level changes (a single partition) and, at the
 * configured time of each working day in event time, sends the leadership group the day's incidents and the open
 * ones. When event time jumps over several report times (a replay across a quiet month), one report covers the
 * whole gap, at the latest of them: a report per empty day would only be noise.
 */
final class DailyReportProcessor implements Processor<String, DayEvent, String, Notification> {
    private static final String LAST_REPORT = "\u0000last-report";

    private final OpinionWatchConfig.DailyReport settings;
    private final ZoneId zone;
    private final Reports reports;
    private ProcessorContext<String, Notification> context;
    private KeyValueStore<String, DayEvent> day;

    DailyReportProcessor(OpinionWatchConfig.DailyReport settings) {
        this.settings = settings;
        this.zone = ZoneId.of(settings.zone());
        this.reports = new Reports(zone);
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        this.context = context;
        this.day = context.getStateStore(EscalationTopology.DAILY_STORE);
        context.schedule(PlanProcessor.PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::reportIfDue);
    }

    @Override
    public void process(Record<String, DayEvent> record) {
        DayEvent event = record.value();
        reportIfDue(event.at().toEpochMilli() - 1); // a report due before this event covers what came before it
        if (day.get(LAST_REPORT) == null) {
            day.put(LAST_REPORT, DayEvent.tick(event.at())); // reports start with the first day event time reaches
        }
        if (event.incidentId() != null) {
            day.put(event.incidentId(), event);
        }
    }

    private void reportIfDue(long streamTime) {
        DayEvent last = day.get(LAST_REPORT);
        if (last == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(streamTime);
        Instant due = null;
        for (Instant next = nextReport(last.at()); !next.isAfter(now); next = nextReport(next)) {
            due = next;
        }
        if (due == null) {
            return;
        }
        List<Reports.DayLine> lines = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        Level highest = Level.NONE;
        try (KeyValueIterator<String, DayEvent> all = day.all()) {
            for (KeyValue<String, DayEvent> kv : (Iterable<KeyValue<String, DayEvent>>) () -> all) {
                if (kv.key.equals(LAST_REPORT)) {
                    continue;
                }
                DayEvent e = kv.value;
                boolean changed = e.at().isAfter(last.at());
                lines.add(new Reports.DayLine(e.incidentId(), e.subject(), e.level(), e.metrics() == null ? WindowMetrics.ZERO : e.metrics(), changed));
                highest = e.level().compareTo(highest) > 0 ? e.level() : highest;
                if (e.level() == Level.NONE) {
                    closed.add(kv.key); // reported once more, as subsided, then no longer open
                }
            }
        }
        LocalDate date = due.atZone(zone).toLocalDate();
        String id = ResponsePlan.uuid("daily-report|" + date);
        context.forward(new Record<>(DayEvent.KEY, new Notification(id, DayEvent.KEY, "daily report " + date, highest,
                Role.LEADERSHIP_GROUP, Duty.DAILY_REPORT.key(), "The daily opinion report (舆情日报) of " + date + " for the leadership group.",
                due, null, null, reports.daily(date, lines)), due.toEpochMilli()));
        closed.forEach(day::delete);
        day.put(LAST_REPORT, DayEvent.tick(due));
    }

    /** The first report time after {@code after}: the configured time of day, on a working day if so configured. */
    Instant nextReport(Instant after) {
        ZonedDateTime t = after.atZone(zone).toLocalDate().atTime(settings.at()).atZone(zone);
        while (!t.toInstant().isAfter(after) || settings.workingDaysOnly() && t.getDayOfWeek().getValue() >= 6) {
            t = t.plus(Duration.ofDays(1)).toLocalDate().atTime(settings.at()).atZone(zone);
        }
        return t.toInstant();
    }
}
