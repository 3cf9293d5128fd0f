package org.opinionwatch.escalation.plan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * The emergency plan's response to a level change (DESIGN.md, "The response plan"): who must act, what, by when.
 *
 * <p>Entering a level gives that level's duties only (a jump from NONE to MAJOR does not also give GENERAL's).
 * Deadlines count from the change's event time {@code at}; "at once" means {@code due = at}. Every id is
 * deterministic, so a replay of the same change gives the same notifications and downstream can drop duplicates.
 */
public final class ResponsePlan {
    private final Duration forwardWithin;
    private final Duration respondWithin;
    private final Duration trackingEvery;

    public ResponsePlan(OpinionWatchConfig.Escalation settings) {
        this.forwardWithin = Objects.requireNonNull(settings.forwardWithin(), "forwardWithin");
        this.respondWithin = Objects.requireNonNull(settings.respondWithin(), "respondWithin");
        this.trackingEvery = Objects.requireNonNull(settings.trackingEvery(), "trackingEvery");
    }

    /** The notifications for one level change, in a fixed order; none when the level did not change. */
    public List<Notification> onLevelChange(SeverityChange change) {
        List<Notification> out = new ArrayList<>();
        Level to = change.to();
        if (to == change.from()) {
            return out;
        }
        Instant at = change.at();
        String incident = describe(change);
        if (!to.isAbove(change.from())) {
            out.add(notification(change, Role.OFFICE, "level-lowered", null,
                    "The incident about \"" + change.subject() + "\" was lowered from " + term(change.from()) + " to " + term(to)
                            + ": follow the plan of the lower level and keep watching it until it subsides (消除)."));
            return out;
        }
        switch (to) {
            case MINOR -> {
                out.add(notification(change, Role.DEPARTMENT, "inform-department", null,
                        "Inform the department concerned of " + incident + ": it needs no reply, and the department"
                                + " follows it with the guidance of the public-opinion office (舆情办公室)."));
                out.add(notification(change, Role.OFFICE, "daily-report", null,
                        "Put " + incident + " into the daily opinion report (舆情日报) to the leadership."));
            }
            case GENERAL -> {
                out.add(notification(change, Role.OFFICE, "triage-and-forward", at.plus(forwardWithin),
                        "Triage (研判) " + incident + " and forward it to the responsible department within "
                                + human(forwardWithin) + "."));
                out.add(notification(change, Role.DEPARTMENT, "respond", at.plus(respondWithin),
                        "Give a positive explanation or solution for " + incident + " within " + human(respondWithin)
                                + ", and feed the result back to the public-opinion office (舆情办公室)."));
                out.add(notification(change, Role.LEADERSHIP_GROUP, "receive-result", at.plus(respondWithin),
                        "The leadership group (领导小组) receives the result of the response to " + incident + " within "
                                + human(respondWithin) + "; an incident that does not calm down or keeps growing goes to the major procedure."));
            }
            case MAJOR, CRITICAL -> {
                out.add(notification(change, Role.LEADERSHIP_GROUP, "report-to-leadership", at,
                        "Report to the leadership group (领导小组) at once: " + incident + " needs its lead."));
                if (to == Level.CRITICAL) {
                    out.add(notification(change, Role.SUPERIOR_AUTHORITY, "report-to-superior-authority", at,
                            "Report " + incident + " to the superior authority (上级主管部门) at once."));
                }
                out.add(notification(change, Role.LEADERSHIP_GROUP, "convene-emergency-meeting", at,
                        "Convene an emergency meeting of the leadership group (领导小组) on " + incident + " at once."));
                out.add(notification(change, Role.SPOKESPERSON, "speak-with-one-voice", at,
                        "Speak with one voice (统一口径) on " + incident + " from now on: the press group and one spokesperson"
                                + " speak outward, and nobody else speaks to the media."));
                out.add(notification(change, Role.OFFICE, "track-continuously", null,
                        "Track " + incident + " continuously, with a checkpoint every " + human(trackingEvery)
                                + " at least, and issue bulletins (网络舆情通报) at a fixed period until it subsides (消除)."));
            }
            case NONE -> throw new IllegalStateException("a rise cannot end at NONE");
        }
        return out;
    }

    /** {@code UUID.nameUUIDFromBytes("incidentId|to|role|duty|atEpochMillis")}: the same change gives the same id. */
    public static String notificationId(String incidentId, Level to, Role role, String duty, Instant at) {
        String name = incidentId + "|" + to + "|" + role + "|" + duty + "|" + at.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Notification notification(SeverityChange c, Role role, String duty, Instant due, String instructions) {
        return new Notification(notificationId(c.incidentId(), c.to(), role, duty, c.at()), c.incidentId(), c.subject(),
                c.to(), role, duty, instructions, c.at(), due, c.rootPost(), null);
    }

    private static String describe(SeverityChange c) {
        return "the " + term(c.to()) + " incident about \"" + c.subject() + "\"";
    }

    /** The level in English with the plan's Chinese term. */
    static String term(Level level) {
        return switch (level) {
            case NONE -> "no level (无)";
            case MINOR -> "minor (影响较小)";
            case GENERAL -> "general (一般)";
            case MAJOR -> "major (重大/较大)";
            case CRITICAL -> "critical (特别重大)";
        };
    }

    /** A deadline for a person: "2 h", "1 day", "30 min"; anything odd in ISO-8601. */
    static String human(Duration d) {
        long seconds = d.getSeconds();
        if (d.getNano() != 0 || seconds <= 0) {
            return d.toString();
        }
        if (seconds % 86_400 == 0) {
            long days = seconds / 86_400;
            return days + (days == 1 ? " day" : " days");
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return d.toString();
    }
}
