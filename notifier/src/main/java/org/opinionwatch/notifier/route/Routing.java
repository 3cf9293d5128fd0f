package org.opinionwatch.notifier.route;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Role;

/**
 * Who hears of a notification: the channels of its role, or for a DEPARTMENT notification those of the department
 * its subject names; and, where that role or department keeps a roster, whoever is on duty at the notification's time
 * (a digest's: when it is delivered). A role or department with a roster and nobody on duty passes the notification
 * to the role it escalates to ({@code escalation.roles.R.escalatesTo}; a department to the office), and so on up;
 * when nobody is on duty anywhere up the chain, it goes to where it was meant to, to the whole group.
 */
public final class Routing {
    /** A role's or a department's channels and roster. */
    private record Team(String id, String name, Role role, List<String> channels, Roster roster) {
    }

    private final Map<Role, Team> roles = new EnumMap<>(Role.class);
    private final Map<String, Team> bySubject = new HashMap<>();
    private final Map<String, OpinionWatchConfig.Person> people;
    private final OpinionWatchConfig.Escalation plan;

    /**
     * @param webhookChannels the channel name of each role's webhook ({@code notifier.webhooks}), which it hears on
     *     besides {@code notifier.roles.R.channels}
     */
    public Routing(OpinionWatchConfig config, Map<Role, String> webhookChannels) {
        OpinionWatchConfig.Notifier n = config.notifier();
        this.plan = config.escalation();
        this.people = n.people();
        ZoneId zone = ZoneId.of(plan.zone());
        for (Role role : Role.values()) {
            OpinionWatchConfig.Team team = n.roles().get(role);
            List<String> channels = new ArrayList<>(team == null ? List.of() : team.channels());
            if (webhookChannels.containsKey(role)) {
                channels.add(webhookChannels.get(role));
            }
            if (!channels.isEmpty()) {
                roles.put(role, new Team(role.name(), plan.nameOf(role), role, channels,
                        new Roster(team == null ? List.of() : team.roster(), zone)));
            }
        }
        n.departments().forEach((id, d) -> {
            Team team = new Team("department:" + id, d.name(), Role.DEPARTMENT, d.channels(), new Roster(d.roster(), zone));
            d.subjects().forEach(subject -> bySubject.put(subject, team));
        });
    }

    /** Where the notification goes; empty when its role has no channel (nor its subject a department). */
    public Optional<Audience> route(Notification n) {
        Team first = n.role() == Role.DEPARTMENT && n.subject() != null && bySubject.containsKey(n.subject())
                ? bySubject.get(n.subject()) : roles.get(n.role());
        if (first == null) {
            return Optional.empty();
        }
        Instant at = n.deliverAt() != null ? n.deliverAt() : n.at();
        List<String> passedOver = new ArrayList<>();
        Map<String, Team> seen = new LinkedHashMap<>();
        for (Team team = first; team != null && seen.putIfAbsent(team.id(), team) == null; team = above(team.role())) {
            if (team.roster().isEmpty()) {
                return Optional.of(audience(team, List.of(), passedOver));
            }
            Optional<List<String>> onDuty = team.roster().onDuty(at);
            if (onDuty.isPresent()) {
                return Optional.of(audience(team, onDuty.get(), passedOver));
            }
            passedOver.add(team.name());
        }
        // Nobody on duty anywhere up the chain: the group it was meant for still hears, rather than nobody.
        return Optional.of(audience(first, List.of(), List.of()));
    }

    /** The nearest role up the escalation chain that has channels; null when none has. */
    private Team above(Role role) {
        Role up = role;
        for (int i = 0; i < Role.values().length; i++) {
            up = plan.escalationOf(up);
            if (roles.containsKey(up)) {
                return roles.get(up);
            }
        }
        return null;
    }

    private Audience audience(Team team, List<String> onDuty, List<String> passedOver) {
        return new Audience(team.id(), team.name(), team.channels(), onDuty, onDuty.stream().map(people::get).toList(), passedOver);
    }
}
