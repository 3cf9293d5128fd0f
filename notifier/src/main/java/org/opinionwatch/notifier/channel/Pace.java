package org.opinionwatch.notifier.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * At most so many messages a minute on one channel, as the chat services allow per robot (WeCom and DingTalk 20,
 * Feishu 100): beyond it they refuse, and DingTalk then refuses the robot's messages for ten minutes. A sliding window
 * of the last minute's sends; 0 is no limit.
 */
public final class Pace {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private final int perMinute;
    private final ArrayDeque<Instant> sent = new ArrayDeque<>();

    public Pace(int perMinute) {
        this.perMinute = perMinute;
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
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        while (!sent.isEmpty() && !sent.peekFirst().plus(WINDOW).isAfter(now)) {
            sent.removeFirst();
        }
        if (sent.size() < perMinute) {
            sent.addLast(now);
            return Duration.ZERO;
        }
        return Duration.between(now, sent.peekFirst().plus(WINDOW));
    }
}
