package org.opinionwatch.escalation.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.opinionwatch.contract.event.Role;

/**
 * The duties of the response plan: whose they are, how long they have, in the order a role reads them. A duty with a
 * deadline is open until an action names it done ({@code act INCIDENT DUTY}): a reminder goes before the deadline
 * when it leaves time for one, an overdue notice to the role above after it. The bulletins, the daily report and the
 * notices of tracking and forecasts are reports, not duties anyone closes.
 */
public enum Duty {
    // GENERAL: the office triages and forwards; the department (and the playbook's roles) act once it has.
    TRIAGE_AND_FORWARD("triage-and-forward", Role.OFFICE, Deadline.FORWARD),
    RESPOND("respond", Role.DEPARTMENT, Deadline.RESPOND),
    // The playbook's duties, by content category (escalation.playbook).
    REPLY_AT_ONCE("reply-at-once", Role.DEPARTMENT, Deadline.AT_ONCE),
    REPLY_SAME_DAY("reply-same-day", Role.DEPARTMENT, Deadline.RESPOND),
    ADOPT_AND_REPLY("adopt-and-reply", Role.DEPARTMENT, Deadline.RESPOND),
    PUBLISH_FACTS("publish-facts", Role.SPOKESPERSON, Deadline.FORWARD),
    REFER_TO_LAW_ENFORCEMENT("refer-to-law-enforcement", Role.LEADERSHIP_GROUP, Deadline.RESPOND),
    // MAJOR and CRITICAL: the reporting chain (escalation.reporting), the meeting, one voice, tracking.
    REPORT_TO_LEADERSHIP("report-to-leadership", Role.LEADERSHIP_GROUP, Deadline.AT_ONCE),
    CONVENE_EMERGENCY_MEETING("convene-emergency-meeting", Role.LEADERSHIP_GROUP, Deadline.AT_ONCE),
    REPORT_TO_COUNTY("report-to-county", Role.LEADERSHIP_GROUP, Deadline.AT_ONCE),
    DECIDE_REPORT_TO_COUNTY("decide-report-to-county", Role.LEADERSHIP_GROUP, Deadline.FORWARD),
    DECIDE_REPORT_TO_SUPERIOR_AUTHORITY("decide-report-to-superior-authority", Role.LEADERSHIP_GROUP, Deadline.FORWARD),
    REPORT_TO_SUPERIOR_AUTHORITY("report-to-superior-authority", Role.SUPERIOR_AUTHORITY, Deadline.AT_ONCE),
    INVESTIGATE_FACTS("investigate-facts", Role.DEPARTMENT, Deadline.RESPOND),
    SPEAK_WITH_ONE_VOICE("speak-with-one-voice", Role.SPOKESPERSON, Deadline.NONE),
    TRACK_CONTINUOUSLY("track-continuously", Role.OFFICE, Deadline.NONE),
    // MINOR: in the daily report, for the office to tell the department.
    INFORM_DEPARTMENT("inform-department", Role.OFFICE, Deadline.NONE),
    // After it subsides.
    REVIEW("review", Role.OFFICE, Deadline.REVIEW),
    REVIEW_RELAPSE("review-relapse", Role.OFFICE, Deadline.FORWARD),
    // Reports: sent, not closed.
    BULLETIN("bulletin", Role.LEADERSHIP_GROUP, Deadline.NONE),
    CLOSING_BULLETIN("closing-bulletin", Role.LEADERSHIP_GROUP, Deadline.NONE),
    DAILY_REPORT("daily-report", Role.LEADERSHIP_GROUP, Deadline.NONE),
    // Notices of what tracking and forecasts found, to the role that leads the incident (the office below the major
    // procedure, the leadership group on it): a forecast of a higher level, a rise after a fall.
    HEED_FORECAST("heed-forecast", Role.OFFICE, Deadline.NONE),
    REASSESS_RISE("reassess-rise", Role.OFFICE, Deadline.NONE);

    /** Which of the plan's deadlines a duty has. */
    public enum Deadline { NONE, AT_ONCE, FORWARD, RESPOND, REVIEW }

    private static final List<Duty> PLAYBOOK = List.of(REPLY_AT_ONCE, REPLY_SAME_DAY, ADOPT_AND_REPLY, PUBLISH_FACTS, REFER_TO_LAW_ENFORCEMENT);
    private static final List<Duty> REPORTS = List.of(BULLETIN, CLOSING_BULLETIN, DAILY_REPORT, HEED_FORECAST, REASSESS_RISE);

    private final String key;
    private final Role role;
    private final Deadline deadline;

    Duty(String key, Role role, Deadline deadline) {
        this.key = key;
        this.role = role;
        this.deadline = deadline;
    }

    /** The stable machine name, as in {@code Notification.duties}, actions and the config's playbook. */
    public String key() {
        return key;
    }

    public Role role() {
        return role;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** Whether people close it with an action: every duty but the reports. */
    public boolean closable() {
        return !REPORTS.contains(this);
    }

    /** The reports to the leadership and onward: given again at each new entry to a level of the major procedure. */
    public boolean isReport() {
        return this == REPORT_TO_LEADERSHIP || this == REPORT_TO_COUNTY || this == DECIDE_REPORT_TO_COUNTY
                || this == REPORT_TO_SUPERIOR_AUTHORITY || this == DECIDE_REPORT_TO_SUPERIOR_AUTHORITY;
    }

    /** The playbook duty of that name. */
    public static Optional<Duty> playbook(String key) {
        return PLAYBOOK.stream().filter(d -> d.key.equals(key)).findFirst();
    }

    public static List<Duty> playbookDuties() {
        return PLAYBOOK;
    }

    /** The duty of that key. */
    public static Optional<Duty> of(String key) {
        return Arrays.stream(values()).filter(d -> d.key.equals(key)).findFirst();
    }

    /** The keys of the duties people close, for messages. */
    public static List<String> closableKeys() {
        return Arrays.stream(values()).filter(Duty::closable).map(Duty::key).toList();
    }
}
