package org.opinionwatch.escalation.plan;

import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.serde.CompactSerde.Reader;
import org.opinionwatch.contract.serde.CompactSerde.Writer;
import org.opinionwatch.contract.topic.Topics;

/**
 * A case's fields as compact bytes ({@link CompactSerde}), each record's in the order of its components: the stage
 * writes every case a commit changed, most of them for a checkpoint that moved only its round and metrics, and a case
 * is mostly its timeline's and duties' text. A notification that quiet hours hold, rare here, is nested as its
 * {@code notification/2} JSON rather than laid out again.
 */
public final class CaseFormat implements CompactSerde.Format<Case> {
    public static final CaseFormat INSTANCE = new CaseFormat();

    private CaseFormat() {
    }

    @Override
    public void write(Case c, Writer out) {
        out.text(c.incidentId());
        out.text(c.subject());
        out.postRef(c.rootPost());
        out.texts(c.categories());
        out.constant(c.level());
        out.constant(c.peak());
        out.constant(c.procedure());
        out.constant(c.status());
        out.number(c.spell());
        out.bool(c.reviewed());
        out.bool(c.reopened());
        metrics(out, c.metrics());
        out.instant(c.metricsAt());
        round(out, c.round());
        round(out, c.bulletins());
        out.instant(c.subsidedAt());
        out.list(c.duties(), CaseFormat::duty);
        out.texts(c.actions());
        out.list(c.timeline(), (o, line) -> {
            o.instant(line.at());
            o.text(line.what());
        });
        out.instant(c.openedAt());
        Case.Outlook outlook = c.outlook();
        out.constant(outlook.trend());
        metrics(out, outlook.trough());
        forecast(out, outlook.forecast());
        out.constant(outlook.forecastHeard());
        deskEntry(out, c.unreported());
        out.list(c.timers(), CaseFormat::timer);
    }

    @Override
    public Case read(Reader in) {
        return new Case(in.text(), in.text(), in.postRef(), in.texts(), in.constant(Level.class), in.constant(Level.class),
                in.constant(Level.class), in.constant(Case.Status.class), Math.toIntExact(in.number()), in.bool(), in.bool(), metrics(in),
                in.instant(), round(in), round(in), in.instant(), in.list(CaseFormat::duty), in.texts(),
                in.list(i -> new Reports.Line(i.instant(), i.text())), in.instant(),
                new Case.Outlook(in.constant(TrackingCheckpoint.Trend.class), metrics(in), forecast(in), in.constant(Level.class)),
                deskEntry(in), in.list(CaseFormat::timer));
    }

    private static void metrics(Writer out, WindowMetrics m) {
        if (out.present(m)) {
            out.number(m.views());
            out.number(m.comments());
            out.number(m.outlets());
        }
    }

    private static WindowMetrics metrics(Reader in) {
        return in.bool() ? new WindowMetrics(in.number(), in.number(), Math.toIntExact(in.number())) : null;
    }

    private static void round(Writer out, Case.Round r) {
        if (out.present(r)) {
            out.instant(r.start());
            out.number(r.nextSequence());
            metrics(out, r.lastMetrics());
            metrics(out, r.periodStart());
        }
    }

    private static Case.Round round(Reader in) {
        return in.bool() ? new Case.Round(in.instant(), Math.toIntExact(in.number()), metrics(in), metrics(in)) : null;
    }

    private static void duty(Writer out, Case.DutyState d) {
        out.text(d.duty());
        out.constant(d.role());
        out.constant(d.level());
        out.number(d.spell());
        out.instant(d.given());
        out.instant(d.start());
        out.instant(d.due());
        out.text(d.notificationId());
        out.constant(d.state());
        out.instant(d.closedAt());
        out.text(d.by());
        out.bool(d.reminded());
        out.bool(d.overdue());
    }

    private static Case.DutyState duty(Reader in) {
        return new Case.DutyState(in.text(), in.constant(Role.class), in.constant(Level.class), Math.toIntExact(in.number()),
                in.instant(), in.instant(), in.instant(), in.text(), in.constant(Case.DutyState.State.class), in.instant(),
                in.text(), in.bool(), in.bool());
    }

    private static void forecast(Writer out, Case.Forecast f) {
        if (out.present(f)) {
            out.constant(f.next());
            out.text(f.metric());
            out.number(f.threshold());
            out.instant(f.at());
            out.instant(f.expectedAt());
        }
    }

    private static Case.Forecast forecast(Reader in) {
        return in.bool() ? new Case.Forecast(in.constant(Level.class), in.text(), in.number(), in.instant(), in.instant()) : null;
    }

    /** A desk entry or null: a case's unreported one, and each of the desk's events ({@code escalation-day-event/3}). */
    public static void deskEntry(Writer out, Output.DeskEntry e) {
        if (out.present(e)) {
            out.text(e.incidentId());
            out.text(e.subject());
            out.postRef(e.rootPost());
            out.constant(e.level());
            metrics(out, e.metrics());
            out.instant(e.at());
            if (out.present(e.held())) {
                out.bytes(Topics.NOTIFICATION.serialize(null, e.held()));
            }
            out.bool(e.withdrawn());
            out.constant(e.trend());
            forecast(out, e.forecast());
            out.bool(e.tracked());
        }
    }

    public static Output.DeskEntry deskEntry(Reader in) {
        return in.bool() ? new Output.DeskEntry(in.text(), in.text(), in.postRef(), in.constant(Level.class), metrics(in), in.instant(),
                in.bool() ? Topics.NOTIFICATION.deserialize(null, in.bytes()) : null, in.bool(), in.constant(TrackingCheckpoint.Trend.class),
                forecast(in), in.bool()) : null;
    }

    private static void timer(Writer out, Timer t) {
        out.constant(t.kind());
        out.text(t.incidentId());
        out.instant(t.due());
        out.instant(t.start());
        out.number(t.sequence());
        out.text(t.notificationId());
    }

    private static Timer timer(Reader in) {
        return new Timer(in.constant(Timer.Kind.class), in.text(), in.instant(), in.instant(), Math.toIntExact(in.number()), in.text());
    }
}
