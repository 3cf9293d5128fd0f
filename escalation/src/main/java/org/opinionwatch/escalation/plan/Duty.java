package org.opinionwatch.escalation.plan;

import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Role;

/**
 * The duties of the response plan: who must act, how long they have, and which action says it is done. A duty with
 * a deadline is pending until an action fulfils it: a reminder goes before the deadline, an overdue notice to the
 * role above after it.
 */
public enum Duty {
    INFORM_DEPARTMENT("inform-department", Role.DEPARTMENT, Deadline.NONE, null),
    INCLUDE_IN_DAILY_REPORT("include-in-daily-report", Role.OFFICE, Deadline.NONE, null),
    TRIAGE_AND_FORWARD("triage-and-forward", Role.OFFICE, Deadline.FORWARD, Action.Kind.FORWARDED),
    RESPOND("respond", Role.DEPARTMENT, Deadline.RESPOND, Action.Kind.RESPONDED),
    RECEIVE_RESULT("receive-result", Role.LEADERSHIP_GROUP, Deadline.RESPOND, Action.Kind.RESOLVED),
    REPORT_TO_LEADERSHIP("report-to-leadership", Role.LEADERSHIP_GROUP, Deadline.AT_ONCE, Action.Kind.ACKNOWLEDGED),
    REPORT_TO_SUPERIOR_AUTHORITY("report-to-superior-authority", Role.SUPERIOR_AUTHORITY, Deadline.AT_ONCE, Action.Kind.ACKNOWLEDGED),
    CONVENE_EMERGENCY_MEETING("convene-emergency-meeting", Role.LEADERSHIP_GROUP, Deadline.AT_ONCE, Action.Kind.ACKNOWLEDGED),
    SPEAK_WITH_ONE_VOICE("speak-with-one-voice", Role.SPOKESPERSON, Deadline.NONE, null),
    TRACK_CONTINUOUSLY("track-continuously", Role.OFFICE, Deadline.NONE, null),
    LEVEL_LOWERED("level-lowered", Role.OFFICE, Deadline.NONE, null),
    // The playbook's duties, by content category (escalation.playbook).
    REPLY_AT_ONCE("reply-at-once", Role.DEPARTMENT, Deadline.AT_ONCE, Action.Kind.RESPONDED),
    REPLY_SAME_DAY("reply-same-day", Role.DEPARTMENT, Deadline.RESPOND, Action.Kind.RESPONDED),
    ADOPT_AND_REPLY("adopt-and-reply", Role.DEPARTMENT, Deadline.RESPOND, Action.Kind.RESPONDED),
    PUBLISH_FACTS("publish-facts", Role.SPOKESPERSON, Deadline.FORWARD, Action.Kind.RESPONDED),
    REFER_TO_LAW_ENFORCEMENT("refer-to-law-enforcement", Role.LEADERSHIP_GROUP, Deadline.RESPOND, Action.Kind.FORWARDED),
    // What the plan's keeping of time gives.
    REMINDER("reminder", null, Deadline.NONE, null),
    OVERDUE("overdue", null, Deadline.NONE, null),
    BULLETIN("bulletin", Role.LEADERSHIP_GROUP, Deadline.NONE, null),
    RELAPSE("relapse", Role.OFFICE, Deadline.NONE, null),
    REVIEW("review", Role.OFFICE, Deadline.REVIEW, Action.Kind.REVIEWED),
    DAILY_REPORT("daily-report", Role.LEADERSHIP_GROUP, Deadline.NONE, null);

    /** Which of the plan's deadlines a duty has. */
    public enum Deadline { NONE, AT_ONCE, FORWARD, RESPOND, REVIEW }

    private final String key;
    private final Role role;
    private final Deadline deadline;
    private final Action.Kind fulfilledBy;

    Duty(String key, Role role, Deadline deadline, Action.Kind fulfilledBy) {
        this.key = key;
        this.role = role;
        this.deadline = deadline;
        this.fulfilledBy = fulfilledBy;
    }

    /** The stable machine name, as in {@code Notification.duty} and the config's playbook. */
    public String key() {
        return key;
    }

    public Role role() {
        return role;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** Whether this action does the duty: its own kind, or RESOLVED, which settles every duty but the review. */
    public boolean fulfilledBy(Action.Kind kind) {
        return fulfilledBy != null && (kind == fulfilledBy || kind == Action.Kind.RESOLVED && this != REVIEW);
    }

    /** The playbook duty of that name. */
    public static Duty playbook(String key) {
        for (Duty d : java.util.List.of(REPLY_AT_ONCE, REPLY_SAME_DAY, ADOPT_AND_REPLY, PUBLISH_FACTS, REFER_TO_LAW_ENFORCEMENT)) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        return null;
    }

    public static Duty of(String key) {
        for (Duty d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no duty '" + key + "'");
    }
}
