package org.opinionwatch.notifier.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * At most so many messages a minute (and a second) on one channel, as the chat services allow per robot (WeCom and
 * DingTalk 20 a minute, Feishu 100 a minute and 5 a second): beyond it they refuse, and DingTalk then refuses the
 * robot's messages for ten minutes. Sliding windows of the last minute's and second's sends, each a little longer than
 * the service's, since a message reaches the service a little after it leaves and the service counts arrivals; 0 is no
 * limit.
 */
public final class Pace {
    static final Duration MINUTE = Duration.ofSeconds(62);
    static final Duration SECOND = Duration.ofMillis(1250);
    private final int perMinute;
    private final int perSecond;
    private final ArrayDeque<Instant> minute = new ArrayDeque<>();
    private final ArrayDeque<Instant> second = new ArrayDeque<>();

    public Pace(int perMinute, int perSecond) {
        this.perMinute = perMinute;
        this.perSecond = perSecond;
    }

    /** No limit. */
    public static Pace none() {
        return new Pace(0, 0);
    }

    public int perMinute() {
        return perMinute;
    }

    /**
     * Takes a place for one message now, or says how long to wait for one (then nothing is taken: ask again).
     *
     * @return zero when the message may go now
     */
    public synchronized Duration reserve(Instant now) {
        Duration wait = Duration.ZERO;
        if (perMinute > 0) {
            wait = max(wait, full(minute, perMinute, MINUTE, now));
        }
        if (perSecond > 0) {
            wait = max(wait, full(second, perSecond, SECOND, now));
        }
        if (wait.isZero()) {
            minute.addLast(now);
            second.addLast(now);
            if (perMinute <= 0) {
                minute.clear();
            }
            if (perSecond <= 0) {
                second.clear();
            }
        }
        return wait;
    }

    /** How long until the window has room; zero when it has. */
    private static Duration full(ArrayDeque<Instant> window, int limit, Duration length, Instant now) {
        while (!window.isEmpty() && !window.peekFirst().plus(length).isAfter(now)) {
            window.removeFirst();
        }
        return window.size() < limit ? Duration.ZERO : Duration.between(now, window.peekFirst().plus(length));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
