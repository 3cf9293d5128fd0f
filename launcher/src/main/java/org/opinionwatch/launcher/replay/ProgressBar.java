package org.opinionwatch.launcher.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.opinionwatch.contract.event.Post;

/**
 * A replay's progress on standard error: how much of the archive is published, how fast, and the archive's clock;
 * then each stage catching up. On a terminal one line is redrawn in place (with {@code \r}); elsewhere (a log file,
 * CI) a plain line is written now and then, so that the log stays readable. Each phase ends with a line of its own.
 */
public final class ProgressBar implements ReplayProgress {
    private static final int WIDTH = 20;
    private static final Duration REDRAW = Duration.ofMillis(200);
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final DateTimeFormatter time;

    private String phase;
    private long phaseStart;
    private long lastDrawn;
    private int drawnLength;
    private long total;
    private long done;
    private Instant archiveFirst;
    private Instant archiveClock;

    /**
     * @param terminal whether {@code out} is a terminal (redrawn in place) or not (periodic lines)
     * @param zone the zone the archive's clock is shown in: the plan's
     */
    public ProgressBar(PrintStream out, boolean terminal, ZoneId zone, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    }

    @Override
    public void read(List<Post> posts) {
        begin("publishing");
        total = posts.size();
        archiveFirst = posts.isEmpty() ? null : posts.get(0).observedAt();
        draw(true);
    }

    @Override
    public void sending(Post post) {
        done++;
        archiveClock = post.observedAt();
        if (done == total) {
            end();
        } else {
            draw(false);
        }
    }

    @Override
    public void catchingUp(String stage, long remaining) {
        if (!stage.equals(phase)) {
            begin(stage);
        }
        total = Math.max(total, remaining); // a stage's input grows as it writes what it reads back
        done = total - remaining;
        draw(remaining == 0);
    }

    @Override
    public void finished() {
        end();
    }

    private void begin(String next) {
        end();
        phase = next;
        phaseStart = nanoTime.getAsLong();
        lastDrawn = Long.MIN_VALUE;
        total = 0;
        done = 0;
    }

    /** The line that closes a phase: what it did and how long it took. */
    private void end() {
        if (phase == null) {
            return;
        }
        double seconds = elapsedSeconds();
        String line = phase.equals("publishing")
                ? String.format(Locale.ROOT, "published   %,d snapshots in %.1f s (%,.0f/s)%s", done, seconds, rate(),
                        archiveFirst == null ? "" : ", archive " + time.format(archiveFirst) + " to " + time.format(archiveClock))
                : String.format(Locale.ROOT, "%-11s caught up in %.1f s", phase, seconds);
        print(line, true);
        phase = null;
    }

    private void draw(boolean force) {
        long now = nanoTime.getAsLong();
        Duration every = terminal ? REDRAW : PLAIN_EVERY;
        if (!force && lastDrawn != Long.MIN_VALUE && now - lastDrawn < every.toNanos()) {
            return;
        }
        if (!terminal && force && lastDrawn != Long.MIN_VALUE) {
            return; // the phase's closing line says the rest
        }
        lastDrawn = now;
        print(current(), false);
    }

    private String current() {
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        String bar = terminal ? "[" + "#".repeat(percent * WIDTH / 100) + ".".repeat(WIDTH - percent * WIDTH / 100) + "] " : "";
        if (phase.equals("publishing")) {
            return String.format(Locale.ROOT, "%-11s %s%3d%%  %,d/%,d snapshots  %,.0f/s%s", phase, bar, percent, done, total,
                    rate(), archiveClock == null ? "" : "  archive " + time.format(archiveClock));
        }
        return String.format(Locale.ROOT, "%-11s %s%3d%%  %,d records left  %,.0f/s", phase, bar, percent, total - done, rate());
    }

    private void print(String line, boolean closing) {
        if (terminal) {
            // Redrawn in place: spaces wipe what a longer previous line left.
            out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())) + (closing ? "\n" : ""));
            drawnLength = closing ? 0 : line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private double elapsedSeconds() {
        return (nanoTime.getAsLong() - phaseStart) / 1e9;
    }

    private double rate() {
        double seconds = elapsedSeconds();
        return seconds <= 0 ? 0 : done / seconds;
    }
}
