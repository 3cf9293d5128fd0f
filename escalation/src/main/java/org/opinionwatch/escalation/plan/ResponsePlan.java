package org.opinionwatch.escalation.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.ConfigException;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Role;

/**
 * Which duties each decision of the plan gives (DESIGN.md, "The response plan"), from the configuration: the
 * GENERAL procedure, the major procedure with the reporting chain of its level, and the playbook of the incident's
 * content category. Only the duties: whether they were given before, and to whom they go when, is the case's
 * ({@link CasePlan}).
 */
public final class ResponsePlan {
    private final OpinionWatchConfig.Escalation settings;

    public ResponsePlan(OpinionWatchConfig.Escalation settings) {
        this.settings = settings;
        settings.playbook().forEach((category, duties) -> {
            for (String duty : duties) {
                if (Duty.playbook(duty).isEmpty()) {
                    throw new ConfigException("escalation.playbook." + category + ": no playbook duty '" + duty + "' (there are "
                            + String.join(", ", Duty.playbookDuties().stream().map(Duty::key).toList()) + ")");
                }
            }
        });
        settings.reporting().levels().forEach((level, r) -> {
            if (r.leadershipGroup() == OpinionWatchConfig.Link.DECIDE) {
                throw new ConfigException("escalation.reporting.levels." + level + ".leadershipGroup: AT_ONCE or NONE; the leadership"
                        + " group does not decide whether it hears of an incident");
            }
        });
    }

    /** The GENERAL procedure's first duty: the office triages (研判) and forwards. */
    public List<Duty> generalAtOnce() {
        return List.of(Duty.TRIAGE_AND_FORWARD);
    }

    /**
     * What waits for the office's forwarding in the GENERAL procedure: the department's response, the playbook of the
     * incident's first content category, and what the GENERAL reporting chain asks.
     */
    public List<Duty> generalOnceForwarded(List<String> categories) {
        List<Duty> duties = new ArrayList<>(chain(Level.GENERAL));
        duties.add(Duty.RESPOND);
        duties.addAll(playbook(categories));
        return duties;
    }

    /**
     * The major procedure at {@code level} (MAJOR or CRITICAL): its reporting chain, the emergency meeting, one
     * voice, continuous tracking, and the playbook's duties of the roles that lead there (the department's replies
     * give way to one voice).
     */
    public List<Duty> major(Level level, List<String> categories) {
        List<Duty> duties = new ArrayList<>(chain(level));
        duties.add(Duty.CONVENE_EMERGENCY_MEETING);
        duties.add(Duty.SPEAK_WITH_ONE_VOICE);
        duties.add(Duty.TRACK_CONTINUOUSLY);
        playbook(categories).stream().filter(d -> d.role() != Role.DEPARTMENT).forEach(duties::add);
        return duties;
    }

    /** The GENERAL duties that the major procedure supersedes: the triage, and the department's own replies. */
    public static boolean supersededByMajor(Duty duty) {
        return duty == Duty.TRIAGE_AND_FORWARD || duty == Duty.RESPOND || duty.role() == Role.DEPARTMENT && Duty.playbookDuties().contains(duty);
    }

    /** The reporting chain of a level (escalation.reporting), as duties. */
    List<Duty> chain(Level level) {
        OpinionWatchConfig.Reporting r = settings.reporting().of(level);
        List<Duty> duties = new ArrayList<>();
        if (r.leadershipGroup() == OpinionWatchConfig.Link.AT_ONCE) {
            duties.add(Duty.REPORT_TO_LEADERSHIP);
        }
        switch (r.county()) {
            case AT_ONCE -> duties.add(Duty.REPORT_TO_COUNTY);
            case DECIDE -> duties.add(Duty.DECIDE_REPORT_TO_COUNTY);
            case NONE -> { }
        }
        switch (r.superiorAuthority()) {
            case AT_ONCE -> duties.add(Duty.REPORT_TO_SUPERIOR_AUTHORITY);
            case DECIDE -> duties.add(Duty.DECIDE_REPORT_TO_SUPERIOR_AUTHORITY);
            case NONE -> { }
        }
        if (r.investigate()) {
            duties.add(Duty.INVESTIGATE_FACTS);
        }
        return duties;
    }

    /** The playbook duties of the first of {@code categories} (precedence order) that has a playbook. */
    List<Duty> playbook(List<String> categories) {
        for (String category : categories) {
            List<String> keys = settings.playbook().get(category);
            if (keys != null) {
                return keys.stream().map(k -> Duty.playbook(k).orElseThrow()).toList();
            }
        }
        return List.of();
    }

    /** The deadline of a duty whose role was told at {@code start}, or null if it has none. */
    public Instant due(Duty duty, Instant start) {
        return switch (duty.deadline()) {
            case NONE -> null;
            case AT_ONCE -> start.plus(settings.atOnce());
            case FORWARD -> start.plus(settings.forwardWithin());
            case RESPOND -> start.plus(settings.respondWithin());
            case REVIEW -> start.plus(settings.reviewWithin());
        };
    }
}
