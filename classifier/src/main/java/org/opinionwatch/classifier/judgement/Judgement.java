package org.opinionwatch.classifier.judgement;

import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;

/**
 * People's judgement (人工判读) of one incident, on top of the level its engagement calls for (the automatic level):
 * a level people set, which the automatic level does not lower until it is cleared (an automatic rise above both it
 * and what the automatic level was when it was set still wins: that is news people have not judged); or a dismissal
 * (not about us, or a false alarm), after which the incident stays at NONE whatever its reposts do. Plain data: the
 * classifier keeps it with the incident, and shows the level it gives on {@code incidents.severity} and
 * {@code incidents}.
 *
 * @param manual the level people set, or null
 * @param automaticWhenSet the automatic level when they set it
 * @param dismissed whether people dismissed the incident
 * @param why who judged and why, as the severity change that applied it says
 */
public record Judgement(Level manual, Level automaticWhenSet, boolean dismissed, String why) {
    /** No judgement: the automatic level is the incident's. */
    public static final Judgement NONE = new Judgement(null, null, false, null);

    /** The level the incident has, given the level its engagement calls for. */
    public Level effective(Level automatic) {
        if (dismissed) {
            return Level.NONE;
        }
        if (manual == null || automatic.isAbove(manual) && automatic.isAbove(automaticWhenSet)) {
            return automatic;
        }
        return manual;
    }

    /**
     * This judgement after a person's action (dismiss, set-level, clear-level; a merge moves the incident, it only
     * says why), with the incident's automatic level then.
     */
    public Judgement after(Action action, Level automatic) {
        String who = "people's judgement (" + action.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + (action.level() == null ? "" : " " + action.level()) + " by " + action.by() + ")"
                + (action.note().isBlank() ? "" : ": " + action.note());
        return switch (action.kind()) {
            case DISMISS -> new Judgement(manual, automaticWhenSet, true, who);
            case SET_LEVEL -> new Judgement(action.level(), automatic, dismissed, who);
            case CLEAR_LEVEL -> new Judgement(null, null, dismissed, who);
            default -> new Judgement(manual, automaticWhenSet, dismissed, who);
        };
    }

    /** Whether it changes nothing any more: no level set and not dismissed. */
    public boolean isEmpty() {
        return manual == null && !dismissed;
    }
}
