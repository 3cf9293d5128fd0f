package org.opinionwatch.launcher.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.runtime.words.Words;

/**
 * A replay's report as one self-contained HTML file: no scripts, no external styles or fonts, every chart an inline
 * SVG drawn here, so it opens anywhere, offline, and can be mailed as it is. Per incident: a chart of its
 * trailing-window engagement with its levels as coloured bands, its timeline (level changes and notifications) and
 * its deadlines.
 */
public final class HtmlReport {
    /** Fill of each level's band; the legend and the tests use the same colours. */
    static final Map<Level, String> LEVEL_COLOURS = Map.of(
            Level.MINOR, "#dcefd6", Level.GENERAL, "#fbefb3", Level.MAJOR, "#fcd2a6", Level.CRITICAL, "#f6b3a8");
    static final String COMMENTS_COLOUR = "#1f5fa8";
    static final String VIEWS_COLOUR = "#7b4fa0";

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 246;
    private static final int LEFT = 64;
    private static final int RIGHT = WIDTH - 64;
    private static final int TOP = 12;
    private static final int BOTTOM = 196;
    /** Quiet longer than this is cut short on a chart's time axis (a window is a day: three are long quiet). */
    private static final Duration GAP = Duration.ofDays(3);

    private final DateTimeFormatter time;
    private final DateTimeFormatter day;
    private final ZoneId zone;
    private final StringBuilder html = new StringBuilder(64 * 1024);
    private final Words words;

    private HtmlReport(ZoneId zone, String language) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        this.day = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(zone);
        this.words = Words.of("org.opinionwatch.launcher.report.words", language);
    }

    /**
     * @param zone the zone times are shown in: the plan's
     * @param language the plan's language ({@code escalation.locale}): {@code zh-CN} or {@code en}
     */
    public static String render(RunReport report, ZoneId zone, String language) {
        HtmlReport r = new HtmlReport(zone, language);
        r.document(report);
        return r.html.toString();
    }

    /** The words of {@code key}; the arguments escaped for HTML, the pattern (which may hold markup) not. */
    private String w(String key, Object... args) {
        Object[] escaped = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            escaped[i] = args[i] instanceof String text ? esc(text) : args[i];
        }
        return words.format(key, escaped);
    }

    private void document(RunReport report) {
        RunReport.Run run = report.run();
        html.append("<!DOCTYPE html>\n<html lang=\"").append(words.raw("lang")).append("\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(w("title", run.archive())).append("</title>\n<style>\n").append(STYLE);
        LEVEL_COLOURS.forEach((level, colour) -> html.append(".level.").append(level).append(" { background: ").append(colour).append("; }\n"));
        html.append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(w("title", run.archive())).append("</h1>\n");
        html.append("<p class=\"run\">").append(w("run", run.format(), run.rules(), run.speed(), run.namespace(),
                String.format(Locale.ROOT, "%,d", run.snapshots())));
        if (run.archiveFrom() != null) {
            html.append(w("run.span", time.format(run.archiveFrom()), time.format(run.archiveTo())));
        }
        html.append(w("run.zone", zone.getId())).append("</p>\n");
        summary(report.summary(), report.dailyReports().size());
        budget(report.budget());
        index(report.incidents());
        for (int i = 0; i < report.incidents().size(); i++) {
            incident(report.incidents().get(i), i + 1);
        }
        html.append("</body>\n</html>\n");
    }

    private void summary(RunReport.Summary s, int dailyReports) {
        html.append("<table class=\"summary\">\n");
        row("summary", w("summary.incidents"), String.valueOf(s.incidents()));
        for (Map.Entry<Level, Long> e : s.levelChanges().entrySet()) {
            row("summary", e.getKey() == Level.NONE ? w("summary.changes.none") : w("summary.changes", e.getKey().name()), String.valueOf(e.getValue()));
        }
        row("summary", w("summary.notifications"), s.notifications() + (dailyReports > 0 ? w("summary.daily", dailyReports) : ""));
        row("summary", w("summary.missed"), String.valueOf(s.deadlinesMissed()));
        row("summary", w("summary.rejected"), String.valueOf(s.deadLetters()));
        html.append("</table>\n");
    }

    /** Notifications per incident by highest level, per role, and the plan's promises checked. */
    private void budget(Budget b) {
        html.append("<h2>").append(w("budget.title")).append("</h2>\n<p>").append(w("budget.note")).append("</p>\n<table class=\"budget\">\n<tr><th>")
                .append(w("budget.level")).append("</th><th>").append(w("budget.incidents")).append("</th><th>").append(w("budget.median"))
                .append("</th><th>").append(w("budget.p95")).append("</th><th>").append(w("budget.max")).append("</th></tr>\n");
        spread(w("budget.all"), b.all());
        b.byPeak().forEach((level, spread) -> spread(level.name(), spread));
        html.append("</table>\n<table class=\"roles\">\n");
        b.byRole().forEach((role, n) -> row("role", role.name(), String.valueOf(n)));
        html.append("</table>\n<table class=\"checks\">\n");
        row("check", w("budget.bulletins"), String.valueOf(b.bulletinsBelowMajor()));
        row("check", w("budget.night"), String.valueOf(b.atNight()));
        row("check", w("budget.latin"), String.valueOf(b.notChinese()));
        row("check", w("budget.left-out"), b.dutiesLeftOut() == null ? w("budget.unchecked") : String.valueOf(b.dutiesLeftOut()));
        html.append("</table>\n");
    }

    private void spread(String name, Budget.Spread s) {
        html.append("<tr class=\"spread\"><th>").append(esc(name)).append("</th><td>").append(s.incidents()).append("</td><td>")
                .append(s.median()).append("</td><td>").append(s.p95()).append("</td><td>").append(s.max()).append("</td></tr>\n");
    }

    /** A row of a table: {@code name} is HTML already (escaped words), {@code value} is text. */
    private void row(String cls, String name, String value) {
        html.append("<tr class=\"").append(cls).append("\"><th>").append(name).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private void index(List<RunReport.Incident> incidents) {
        html.append("<h2>").append(w("index.title")).append("</h2>\n<table class=\"index\">\n<tr><th>").append(w("index.incident"))
                .append("</th><th>").append(w("index.peak")).append("</th><th>").append(w("index.first-major")).append("</th><th>")
                .append(w("index.notifications")).append("</th><th>").append(w("index.missed")).append("</th></tr>\n");
        for (int i = 0; i < incidents.size(); i++) {
            RunReport.Incident inc = incidents.get(i);
            Instant major = inc.firstReached().get(Level.MAJOR);
            long missed = inc.deadlines().stream().filter(d -> d.status() == RunReport.Status.MISSED || d.status() == RunReport.Status.LATE).count();
            html.append("<tr class=\"incident-row\"><td><a href=\"#incident-").append(i + 1).append("\">").append(esc(label(inc)))
                    .append("</a></td><td class=\"level ").append(inc.peak()).append("\">").append(inc.peak()).append("</td><td>")
                    .append(major == null ? "—" : time.format(major)).append("</td><td>").append(inc.notifications().size())
                    .append("</td><td>").append(missed).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String label(RunReport.Incident inc) {
        return inc.title().isBlank() ? inc.id() : inc.title();
    }

    private void incident(RunReport.Incident inc, int number) {
        html.append("<section class=\"incident\" id=\"incident-").append(number).append("\">\n<h3>").append(esc(label(inc)))
                .append("</h3>\n<p class=\"about\">").append(w("about", inc.id(), inc.subject(), inc.peak().name(), inc.checkpoints()))
                .append("</p>\n");
        chart(inc);
        timeline(inc);
        deadlines(inc);
        html.append("</section>\n");
    }

    // ---- the chart -------------------------------------------------------------------------------------------

    private void chart(RunReport.Incident inc) {
        TreeSet<Instant> instants = new TreeSet<>();
        inc.window().forEach(p -> instants.add(p.at()));
        inc.levels().forEach(c -> instants.add(c.at()));
        if (instants.isEmpty()) {
            return;
        }
        TimeAxis axis = TimeAxis.of(instants, GAP, LEFT, RIGHT, 14);
        long maxComments = niceCeiling(max(inc, WindowMetrics::comments));
        long maxViews = max(inc, WindowMetrics::views);
        long viewsScale = niceCeiling(maxViews);
        html.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(w("chart.label", label(inc))).append("\">\n");
        html.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(RIGHT - LEFT)
                .append("\" height=\"").append(BOTTOM - TOP).append("\" fill=\"#ffffff\" stroke=\"#bbbbbb\"/>\n");
        bands(inc, axis, instants.last());
        gaps(axis);
        grid(maxComments, viewsScale, maxViews > 0);
        timeTicks(axis);
        html.append(stepLine(inc, axis, instants.last(), WindowMetrics::comments, maxComments, COMMENTS_COLOUR, ""));
        if (maxViews > 0) {
            html.append(stepLine(inc, axis, instants.last(), WindowMetrics::views, viewsScale, VIEWS_COLOUR, " stroke-dasharray=\"6,3\""));
        }
        for (RunReport.Change c : inc.levels()) {
            int x = (int) Math.round(axis.x(c.at()));
            html.append("<line class=\"change\" x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(BOTTOM).append("\" stroke=\"#444444\" stroke-dasharray=\"2,3\"><title>")
                    .append(time.format(c.at())).append(": ").append(c.from()).append(" → ").append(c.to()).append("</title></line>\n");
        }
        legend(maxViews > 0);
        html.append("</svg>\n");
    }

    private static long max(RunReport.Incident inc, ToLongFunction<WindowMetrics> metric) {
        long max = 0;
        for (RunReport.Point p : inc.window()) {
            max = Math.max(max, metric.applyAsLong(p.metrics()));
        }
        for (RunReport.Change c : inc.levels()) {
            max = Math.max(max, c.metrics() == null ? 0 : metric.applyAsLong(c.metrics()));
        }
        return max;
    }

    /** The level over time as bands behind the lines, from the level changes (a change holds until the next). */
    private void bands(RunReport.Incident inc, TimeAxis axis, Instant end) {
        List<RunReport.Change> changes = inc.levels();
        for (int i = 0; i < changes.size(); i++) {
            Level level = changes.get(i).to();
            if (level == Level.NONE) {
                continue;
            }
            int x0 = (int) Math.round(axis.x(changes.get(i).at()));
            int x1 = (int) Math.round(i + 1 < changes.size() ? axis.x(changes.get(i + 1).at()) : axis.x(end) + (end.equals(changes.get(i).at()) ? 4 : 0));
            html.append("<rect class=\"band ").append(level).append("\" x=\"").append(x0).append("\" y=\"").append(TOP + 1)
                    .append("\" width=\"").append(Math.max(1, x1 - x0)).append("\" height=\"").append(BOTTOM - TOP - 1)
                    .append("\" fill=\"").append(LEVEL_COLOURS.get(level)).append("\" shape-rendering=\"crispEdges\"/>\n");
        }
    }

    /** A quiet gap cut short: a light break across the chart, labelled with how long it was. */
    private void gaps(TimeAxis axis) {
        List<TimeAxis.Segment> segments = axis.segments();
        for (int i = 1; i < segments.size(); i++) {
            double x0 = segments.get(i - 1).x1();
            double x1 = segments.get(i).x0();
            Duration quiet = Duration.between(segments.get(i - 1).end(), segments.get(i).start());
            html.append(String.format(Locale.ROOT, "<rect class=\"gap\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\">"
                    + "<title>%s</title></rect>\n", x0, TOP + 1, x1 - x0, BOTTOM - TOP - 1, w("gap", quiet.toDays())));
        }
    }

    private void grid(long maxComments, long viewsScale, boolean views) {
        for (int k = 0; k <= 4; k++) {
            int y = BOTTOM - (BOTTOM - TOP) * k / 4;
            html.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(RIGHT).append("\" y2=\"")
                    .append(y).append("\" stroke=\"#dddddd\" stroke-width=\"0.5\"/>\n");
            html.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 4).append("\" text-anchor=\"end\" fill=\"")
                    .append(COMMENTS_COLOUR).append("\">").append(String.format(Locale.ROOT, "%,d", maxComments * k / 4)).append("</text>\n");
            if (views) {
                html.append("<text x=\"").append(RIGHT + 6).append("\" y=\"").append(y + 4).append("\" fill=\"").append(VIEWS_COLOUR)
                        .append("\">").append(String.format(Locale.ROOT, "%,d", viewsScale * k / 4)).append("</text>\n");
            }
        }
    }

    /** A time label at the start of each run of activity, and more along the long ones, never crowded. */
    private void timeTicks(TimeAxis axis) {
        double lastLabel = Double.NEGATIVE_INFINITY;
        for (TimeAxis.Segment s : axis.segments()) {
            int steps = Math.max(1, (int) ((s.x1() - s.x0()) / 160));
            for (int k = 0; k <= steps; k++) {
                Instant t = s.start().plusMillis(Duration.between(s.start(), s.end()).toMillis() * k / steps);
                double x = s.x(t);
                if (x - lastLabel < 110) {
                    continue;
                }
                lastLabel = x;
                html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888888\"/>"
                                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, BOTTOM, x, BOTTOM + 4, x, BOTTOM + 16,
                        (k == 0 ? time : day).format(t)));
                if (s.start().equals(s.end())) {
                    break;
                }
            }
        }
    }

    /** One metric as a step line: the window holds its value until the next change. */
    private static String stepLine(RunReport.Incident inc, TimeAxis axis, Instant end, ToLongFunction<WindowMetrics> metric,
                                   long scale, String colour, String extra) {
        List<RunReport.Point> points = inc.window().isEmpty()
                ? inc.levels().stream().map(c -> new RunReport.Point(c.at(), c.to(), c.metrics() == null ? WindowMetrics.ZERO : c.metrics())).toList()
                : inc.window();
        StringBuilder d = new StringBuilder();
        for (RunReport.Point p : points) {
            long x = Math.round(axis.x(p.at()));
            long y = Math.round(BOTTOM - (double) (BOTTOM - TOP) * metric.applyAsLong(p.metrics()) / scale);
            d.append(d.length() == 0 ? "M" + x + "," + y : "H" + x + "V" + y);
        }
        d.append("H").append(Math.round(axis.x(end)));
        return "<path class=\"metric\" d=\"" + d + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"" + extra
                + " shape-rendering=\"crispEdges\"/>\n";
    }

    private void legend(boolean views) {
        int y = HEIGHT - 6;
        int x = LEFT;
        html.append("<line x1=\"").append(x).append("\" y1=\"").append(y - 4).append("\" x2=\"").append(x + 20).append("\" y2=\"")
                .append(y - 4).append("\" stroke=\"").append(COMMENTS_COLOUR).append("\" stroke-width=\"2\"/><text x=\"").append(x + 24)
                .append("\" y=\"").append(y).append("\">").append(w("legend.comments")).append("</text>\n");
        x += 220;
        if (views) {
            html.append("<line x1=\"").append(x).append("\" y1=\"").append(y - 4).append("\" x2=\"").append(x + 20).append("\" y2=\"")
                    .append(y - 4).append("\" stroke=\"").append(VIEWS_COLOUR).append("\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/><text x=\"")
                    .append(x + 24).append("\" y=\"").append(y).append("\">").append(w("legend.views")).append("</text>\n");
            x += 130;
        }
        for (Level level : List.of(Level.MINOR, Level.GENERAL, Level.MAJOR, Level.CRITICAL)) {
            html.append("<rect x=\"").append(x).append("\" y=\"").append(y - 10).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(LEVEL_COLOURS.get(level)).append("\" stroke=\"#999999\"/><text x=\"").append(x + 16).append("\" y=\"")
                    .append(y).append("\">").append(level).append("</text>\n");
            x += 90;
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value} (and at least 1). */
    static long niceCeiling(long value) {
        long power = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * power >= value) {
                    return m * power;
                }
            }
            power *= 10;
        }
    }

    // ---- the tables ------------------------------------------------------------------------------------------

    private void timeline(RunReport.Incident inc) {
        record Line(Instant at, int order, String cls, String what, String details) {
        }
        List<Line> lines = new ArrayList<>();
        for (RunReport.Change c : inc.levels()) {
            WindowMetrics m = c.metrics() == null ? WindowMetrics.ZERO : c.metrics();
            lines.add(new Line(c.at(), 0, "level-change", esc(c.from() + " → " + c.to()),
                    esc(c.crossed().isEmpty() ? "" : String.join(", ", c.crossed()) + "; ") + w("timeline.window",
                            String.format(Locale.ROOT, "%,d", m.comments()), String.format(Locale.ROOT, "%,d", m.views()), m.outlets())));
        }
        for (RunReport.Sent n : inc.notifications()) {
            lines.add(new Line(n.at(), 1, "notification", w("timeline.notify", n.role().name()), esc(n.kind().name().toLowerCase(Locale.ROOT)
                    + ": " + String.join(", ", n.duties()) + " (" + n.level() + ")") + (n.due() == null ? "" : w("timeline.due", time.format(n.due())))
                    + (n.deliverAt() == null ? "" : w("timeline.deliver", time.format(n.deliverAt())))));
        }
        for (RunReport.Acted a : inc.actions()) {
            String what = a.kind() + (a.duty() != null ? " " + a.duty() : "") + (a.level() != null ? " " + a.level() : "")
                    + (a.into() != null ? " → " + a.into() : "");
            lines.add(new Line(a.at(), 2, "action", w("timeline.act", what), esc(a.by() + (a.note() == null || a.note().isBlank() ? "" : ": " + a.note()))));
        }
        lines.sort(Comparator.comparing(Line::at).thenComparingInt(Line::order)); // stable: each kind keeps its order
        html.append("<table class=\"timeline\">\n<tr><th>").append(w("timeline.time")).append("</th><th>").append(w("timeline.what"))
                .append("</th><th>").append(w("timeline.details")).append("</th></tr>\n");
        for (Line l : lines) {
            html.append("<tr class=\"").append(l.cls()).append("\"><td>").append(time.format(l.at())).append("</td><td>")
                    .append(l.what()).append("</td><td>").append(l.details()).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void deadlines(RunReport.Incident inc) {
        if (inc.deadlines().isEmpty()) {
            return;
        }
        html.append("<table class=\"deadlines\">\n<tr><th>").append(w("deadlines.duty")).append("</th><th>").append(w("deadlines.role"))
                .append("</th><th>").append(w("deadlines.given")).append("</th><th>").append(w("deadlines.due")).append("</th><th>")
                .append(w("deadlines.outcome")).append("</th></tr>\n");
        for (RunReport.Deadline d : inc.deadlines()) {
            String outcome = d.status() == RunReport.Status.DONE || d.status() == RunReport.Status.LATE
                    ? w("outcome." + d.status(), time.format(d.closedAt()), d.by()) : w("outcome." + d.status());
            html.append("<tr class=\"deadline ").append(d.status()).append("\"><td>").append(esc(d.duty())).append("</td><td>")
                    .append(d.role()).append("</td><td>").append(time.format(d.given())).append("</td><td>").append(time.format(d.due()))
                    .append("</td><td>").append(outcome).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 16px; margin-bottom: 4px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; }
            .run, .about { color: #555; font-size: 13px; }
            section.incident { border-top: 2px solid #ccc; margin-top: 24px; padding-top: 4px; }
            svg.chart { display: block; font-size: 11px; }
            tr.level-change td { font-weight: 600; }
            tr.deadline.MISSED td:last-child, tr.deadline.LATE td:last-child { color: #b02a1a; } tr.deadline.DONE td:last-child { color: #2a7a2a; }
            """;
}
