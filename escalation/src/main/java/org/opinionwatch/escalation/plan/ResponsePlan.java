package org.opinionwatch.escalation.plan;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.SeverityChange;

/**
 * The emergency plan's response to a level change (DESIGN.md, "The response plan"): who must act, what, by when.
 *
 * <p>Entering a level gives that level's duties only (a jump from NONE to MAJOR does not also give GENERAL's).
 * Reaching GENERAL or above from below adds the playbook of the incident's first content category. Deadlines count
 * from the change's event time {@code at}. Every id is deterministic, so a replay of the same change gives the same
 * notifications and downstream can drop duplicates.
 */
public final class ResponsePlan {
    private final OpinionWatchConfig.Escalation settings;

    public ResponsePlan(OpinionWatchConfig.Escalation settings) {
        this.settings = settings;
        settings.playbook().forEach((category, duties) -> {
            for (String duty : duties) {
                if (Duty.playbook(duty) == null) {
                    throw new ConfigException("escalation.playbook." + category + ": no playbook duty '" + duty
                            + "' (there are reply-at-once, reply-same-day, adopt-and-reply, publish-facts, refer-to-law-enforcement)");
                }
            }
        });
    }

    /** The incident a notification is about: what every notification of it repeats. */
    public record About(String incidentId, String subject, PostRef rootPost) {
        public static About of(SeverityChange c) {
            return new About(c.incidentId(), c.subject(), c.rootPost());
        }
    }

    /** The notifications for one level change, in a fixed order; none when the level did not change. */
    public List<Notification> onLevelChange(SeverityChange change) {
        List<Notification> out = new ArrayList<>();
        Level to = change.to();
        if (to == change.from()) {
            return out;
        }
        About about = About.of(change);
        Instant at = change.at();
        if (!to.isAbove(change.from())) {
            out.add(notify(about, to, Duty.LEVEL_LOWERED, at, "The incident about \"" + change.subject() + "\" was lowered from "
                    + term(change.from()) + " to " + term(to) + ": follow the plan of the lower level and keep watching it until it subsides (消除)."));
            return out;
        }
        String incident = "the " + term(to) + " incident about \"" + change.subject() + "\"";
        switch (to) {
            case MINOR -> {
                out.add(notify(about, to, Duty.INFORM_DEPARTMENT, at, "Inform the department concerned of " + incident
                        + ": it needs no reply, and the department follows it with the guidance of the public-opinion office (舆情办公室)."));
                out.add(notify(about, to, Duty.INCLUDE_IN_DAILY_REPORT, at, "Put " + incident + " into the daily opinion report (舆情日报) to the leadership."));
            }
            case GENERAL -> {
                out.add(notify(about, to, Duty.TRIAGE_AND_FORWARD, at, "Triage (研判) " + incident
                        + " and forward it to the responsible department within " + human(settings.forwardWithin()) + "."));
                out.add(notify(about, to, Duty.RESPOND, at, "Give a positive explanation or solution for " + incident + " within "
                        + human(settings.respondWithin()) + ", and feed the result back to the public-opinion office (舆情办公室)."));
                out.add(notify(about, to, Duty.RECEIVE_RESULT, at, "The leadership group (领导小组) receives the result of the response to "
                        + incident + " within " + human(settings.respondWithin()) + "; an incident that does not calm down or keeps growing goes to the major procedure."));
            }
            case MAJOR, CRITICAL -> out.addAll(majorProcedure(about, to, at, incident + " needs its lead"));
            case NONE -> throw new IllegalStateException("a rise cannot end at NONE");
        }
        if (change.from().compareTo(Level.GENERAL) < 0 && to.compareTo(Level.GENERAL) >= 0) {
            out.addAll(playbook(about, to, at, change.categories()));
        }
        return out;
    }

    /**
     * The MAJOR (or CRITICAL) procedure: report to the leadership group at once (CRITICAL: the superior authority too),
     * an emergency meeting, one voice outward, continuous tracking. Also what a GENERAL incident gets when it does
     * not calm down or keeps growing ({@code why} says which).
     */
    public List<Notification> majorProcedure(About about, Level level, Instant at, String why) {
        List<Notification> out = new ArrayList<>();
        String incident = "the incident about \"" + about.subject() + "\"";
        out.add(notify(about, level, Duty.REPORT_TO_LEADERSHIP, at, "Report to the leadership group (领导小组) within "
                + human(settings.atOnce()) + " (at once): " + why + "."));
        if (level == Level.CRITICAL) {
            out.add(notify(about, level, Duty.REPORT_TO_SUPERIOR_AUTHORITY, at, "Report " + incident
                    + " to the superior authority (上级主管部门) within " + human(settings.atOnce()) + " (at once)."));
        }
        out.add(notify(about, level, Duty.CONVENE_EMERGENCY_MEETING, at, "Convene an emergency meeting of the leadership group (领导小组) on "
                + incident + " within " + human(settings.atOnce()) + "."));
        out.add(notify(about, level, Duty.SPEAK_WITH_ONE_VOICE, at, "Speak with one voice (统一口径) on " + incident
                + " from now on: the press group and one spokesperson speak outward, and nobody else speaks to the media."));
        out.add(notify(about, level, Duty.TRACK_CONTINUOUSLY, at, "Track " + incident + " continuously, with a checkpoint every "
                + human(settings.trackingEvery()) + " at least, and issue bulletins (网络舆情通报) every " + human(settings.bulletinEvery())
                + " until it subsides (消除)."));
        return out;
    }

    /** The playbook duties of the first of {@code categories} (precedence order) that has a playbook. */
    List<Notification> playbook(About about, Level level, Instant at, List<String> categories) {
        List<Notification> out = new ArrayList<>();
        for (String category : categories) {
            List<String> duties = settings.playbook().get(category);
            if (duties == null) {
                continue;
            }
            for (String key : duties) {
                Duty duty = Duty.playbook(key);
                out.add(notify(about, level, duty, at, playbookInstructions(duty, category, about)));
            }
            break;
        }
        return out;
    }

    private String playbookInstructions(Duty duty, String category, About about) {
        String what = "the " + category + " about \"" + about.subject() + "\"";
        return switch (duty) {
            case REPLY_AT_ONCE -> "Reply to " + what + " within " + human(settings.atOnce())
                    + " if it can be answered now; if it needs work, reply the same day with the plan and the date of the result.";
            case REPLY_SAME_DAY -> "Reply to " + what + " the same day with the plan and the date of the result (within "
                    + human(settings.respondWithin()) + ").";
            case ADOPT_AND_REPLY -> "Adopt " + what + " where it is constructive, and reply within " + human(settings.respondWithin()) + ".";
            case PUBLISH_FACTS -> "Publish the facts on " + what + " within " + human(settings.forwardWithin())
                    + ": insiders get education or school discipline; continued malicious spreading after the facts are out is referred too.";
            case REFER_TO_LAW_ENFORCEMENT -> "Refer " + what + " (malicious attack, defamation, incitement or suspected crime by outsiders)"
                    + " to law enforcement within " + human(settings.respondWithin()) + ".";
            default -> throw new IllegalArgumentException(duty + " is not a playbook duty");
        };
    }

    /** The deadline of a duty entered at {@code at}, or null if it has none. */
    public Instant due(Duty duty, Instant at) {
        return switch (duty.deadline()) {
            case NONE -> null;
            case AT_ONCE -> at.plus(settings.atOnce());
            case FORWARD -> at.plus(settings.forwardWithin());
            case RESPOND -> at.plus(settings.respondWithin());
            case REVIEW -> at.plus(settings.reviewWithin());
        };
    }

    /** A notification of a plan duty, addressed to the duty's role. */
    public Notification notify(About about, Level level, Duty duty, Instant at, String instructions) {
        return notify(about, level, duty, duty.role(), at, due(duty, at), instructions, null, notificationId(about.incidentId(), level, duty.role(), duty.key(), at));
    }

    public Notification notify(About about, Level level, Duty duty, Role role, Instant at, Instant due, String instructions,
                               String report, String id) {
        return new Notification(id, about.incidentId(), about.subject(), level, role, duty.key(), instructions, at, due,
                about.rootPost(), report);
    }

    /** {@code UUID.nameUUIDFromBytes("incidentId|to|role|duty|atEpochMillis")}: the same change gives the same id. */
    public static String notificationId(String incidentId, Level to, Role role, String duty, Instant at) {
        return uuid(incidentId + "|" + to + "|" + role + "|" + duty + "|" + at.toEpochMilli());
    }

    /** A deterministic id from a name: the same inputs always give the same id. */
    public static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The level in English with the plan's Chinese term. */
    public static String term(Level level) {
        return switch (level) {
            case NONE -> "no level (无)";
            case MINOR -> "minor (影响较小)";
            case GENERAL -> "general (一般)";
            case MAJOR -> "major (重大/较大)";
            case CRITICAL -> "critical (特别重大)";
        };
    }

    /** A deadline for a person: "2 h", "1 day", "30 min"; anything odd in ISO-8601. */
    public static String human(Duration d) {
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
