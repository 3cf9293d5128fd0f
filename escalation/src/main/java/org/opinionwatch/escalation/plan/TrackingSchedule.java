package org.opinionwatch.escalation.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.NamedIds;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.event.TrackingCheckpoint.Trend;
import org.opinionwatch.contract.event.WindowMetrics;

/**
 * When an incident is checked on, and what a checkpoint says (DESIGN.md, "The response plan", column "tracking").
 *
 * <p>A level change that opens or raises an incident to GENERAL or above starts a <em>round</em> at the change's
 * event time {@code at}: checkpoints at {@code at + k * trackingEvery} for {@code k = 1 .. trackingFor / trackingEvery}
 * (rounded down; 24 with the defaults), and on, at the same pace, until it calms down: while it is GENERAL or above
 * and still growing. MINOR gets no hourly tracking, only the daily report. A new rise starts a new round that replaces
 * whatever is still pending of the old one; a lowering starts none (the running round goes on, its checkpoints
 * carrying the lower level); subsiding ends it.
 */
public final class TrackingSchedule {
    private final Duration every;
    private final int checkpointsPerRound;

    public TrackingSchedule(OpinionWatchConfig.Escalation settings) {
        this(settings.trackingEvery(), settings.trackingFor());
    }

    public TrackingSchedule(Duration every, Duration span) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("trackingEvery must be positive, not " + every);
        }
        this.every = every;
        this.checkpointsPerRound = (int) Math.min(Integer.MAX_VALUE, span.dividedBy(every));
    }

    /** Checkpoints in one round: trackingFor / trackingEvery, rounded down. */
    public int checkpointsPerRound() {
        return checkpointsPerRound;
    }

    /** Whether this change opens or raises the incident to GENERAL or above, and so starts a new round. */
    public boolean startsRound(SeverityChange change) {
        return change.to().isAbove(change.from()) && change.to().compareTo(Level.GENERAL) >= 0;
    }

    /** The checkpoint instants of the round that this change starts; empty if it starts none. */
    public List<Instant> checkpoints(SeverityChange change) {
        List<Instant> instants = new ArrayList<>();
        if (startsRound(change)) {
            for (int k = 1; k <= checkpointsPerRound; k++) {
                instants.add(due(change.at(), k));
            }
        }
        return instants;
    }

    /** The instant of checkpoint {@code sequence} (1-based) of the round that started at {@code roundStart}. */
    public Instant due(Instant roundStart, int sequence) {
        // Duration.multipliedBy goes through BigDecimal, and every checkpoint asks for several instants.
        return roundStart.plusSeconds(Math.multiplyExact(every.getSeconds(), sequence)).plusNanos((long) every.getNano() * sequence);
    }

    /**
     * Whether a round has a checkpoint with this sequence number: every one of the first {@code trackingFor}, then
     * the next while the incident has not calmed down, that is while it is GENERAL or above and its last checkpoint
     * showed it still growing.
     */
    public boolean hasCheckpoint(int sequence, Level level, Trend lastTrend) {
        return sequence >= 1 && (sequence <= checkpointsPerRound || level.compareTo(Level.GENERAL) >= 0 && lastTrend == Trend.RISING);
    }

    /**
     * Checkpoint {@code sequence} of a round.
     *
     * @param metrics the incident's metrics as last reported at or before the checkpoint
     * @param previous those of the previous checkpoint, or of the level change for sequence 1
     */
    public TrackingCheckpoint checkpoint(String incidentId, Level level, Instant roundStart, int sequence,
                                         WindowMetrics metrics, WindowMetrics previous) {
        WindowMetrics change = metrics.minus(previous);
        return new TrackingCheckpoint(checkpointId(incidentId, roundStart, sequence), incidentId, level, sequence,
                due(roundStart, sequence), metrics, change, trend(change));
    }

    /** {@code UUID.nameUUIDFromBytes("incidentId|roundStartEpochMillis|sequence")}. */
    public static String checkpointId(String incidentId, Instant roundStart, int sequence) {
        return NamedIds.of(incidentId + "|" + roundStart.toEpochMilli() + "|" + sequence);
    }

    /**
     * The trend of a change since the last checkpoint: RISING if views, comments or outlets grew (any one is
     * enough, whatever the others did); otherwise FALLING if at least one of them fell; otherwise (all three
     * unchanged) STEADY.
     */
    public static Trend trend(WindowMetrics change) {
        if (change.views() > 0 || change.comments() > 0 || change.outlets() > 0) {
            return Trend.RISING;
        }
        if (change.views() < 0 || change.comments() < 0 || change.outlets() < 0) {
            return Trend.FALLING;
        }
        return Trend.STEADY;
    }
}
