package org.opinionwatch.launcher.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

class ProgressBarTest {
    private static final Instant T0 = Instant.parse("2013-06-06T14:00:00Z");
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now;

    private String run(boolean terminal) {
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, UTF_8), terminal, BEIJING, () -> now);
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            posts.add(new Post("p" + i, "s", null, "", "", "", T0, T0.plus(Duration.ofMinutes(i)), Engagement.ZERO, false, null));
        }
        bar.read(posts);
        for (Post p : posts) {
            now += Duration.ofMillis(250).toNanos(); // 4 snapshots a second, 25 s in all
            bar.sending(p);
        }
        for (long left : new long[] {40, 90, 30, 0}) { // the input grows as the classifier writes what it reads back
            now += Duration.ofSeconds(6).toNanos();
            bar.catchingUp("classifier", left);
        }
        bar.finished();
        return bytes.toString(UTF_8);
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAndEachPhaseEndsWithALineOfItsOwn() {
        String out = run(true);
        String[] lines = out.split("\n", -1);
        assertEquals(3, lines.length, out); // published, classifier, and nothing after the last newline
        assertEquals("", lines[2]);
        assertTrue(lines[0].startsWith("\rpublishing  [....................]   0%  0/100 snapshots"), lines[0]);
        assertTrue(lines[0].contains("\rpublishing  [##########..........]  50%  50/100 snapshots  4/s  archive 2013-06-06 22:49"), lines[0]);
        assertTrue(lines[0].stripTrailing().endsWith("\rpublished   100 snapshots in 25.0 s (4/s), archive 2013-06-06 22:00 to 2013-06-06 23:39"), lines[0]);
        assertTrue(lines[1].contains("\rclassifier  [#############.......]  66%  30 records left  5/s"), lines[1]);
        assertTrue(lines[1].stripTrailing().endsWith("\rclassifier  caught up in 18.0 s"), lines[1]);
    }

    @Test
    void elsewhereAPlainLineEveryTenSecondsAndOneAtTheEndOfEachPhase() {
        assertEquals("""
                publishing    0%  0/100 snapshots  0/s
                publishing   40%  40/100 snapshots  4/s  archive 2013-06-06 22:39
                publishing   80%  80/100 snapshots  4/s  archive 2013-06-06 23:19
                published   100 snapshots in 25.0 s (4/s), archive 2013-06-06 22:00 to 2013-06-06 23:39
                classifier    0%  40 records left  0/s
                classifier   66%  30 records left  5/s
                classifier  caught up in 18.0 s
                """, run(false));
    }
}
