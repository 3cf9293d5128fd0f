package org.opinionwatch.launcher.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.escalation.actions.Actions;
import org.opinionwatch.escalation.actions.ChangelogCases;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Silences, as Alertmanager's: set one, list those in force, remove one. The same as the endpoint's {@code /silences}. */
@Command(name = "silence", mixinStandardHelpOptions = true,
        description = {"No notifications about an incident or a subject, or to a role, until a time (an entry to MAJOR or "
                + "CRITICAL still goes):",
                "  silence --incident ID|--subject ID|--role ROLE --until TIME --by NAME --reason TEXT",
                "  silence --list                      the silences in force",
                "  silence --remove ID --by NAME       ends a silence before its time"})
public final class SilenceCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--incident", paramLabel = "ID", description = "Silence one incident.")
        String incident;

        @Option(names = "--subject", paramLabel = "ID", description = "Silence every incident of a subject.")
        String subject;

        @Option(names = "--role", paramLabel = "ROLE", description = "Silence a role: DEPARTMENT, OFFICE, LEADERSHIP_GROUP, ...")
        String role;

        @Option(names = "--list", description = "List the silences in force.")
        boolean list;

        @Option(names = "--remove", paramLabel = "ID", description = "Remove the silence of that id.")
        String remove;
    }

    @Option(names = "--until", paramLabel = "ISO-INSTANT", converter = ActCommand.InstantConverter.class,
            description = "When the silence ends, e.g. 2024-05-02T08:00:00+08:00.")
    Instant until;

    @Option(names = "--by", paramLabel = "NAME", description = "Who sets or removes it.")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the list of silences.")
    String reason;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for the cluster before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OpinionWatchConfig settings = cluster.running(cluster.load());
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ActCommand.answers(settings, timeoutSeconds);
        ChangelogCases cases = new ChangelogCases(settings, timeout);
        Instant now = Actions.now();
        if (what.list) {
            List<Action.Silence> active = cases.silences().stream().filter(s -> s.until().isAfter(now))
                    .sorted(Comparator.comparing(Action.Silence::until)).toList();
            if (active.isEmpty()) {
                System.out.println("No silences in force.");
            }
            active.forEach(s -> System.out.printf("%s  %s %s until %s%n", s.id(), s.target().name().toLowerCase(Locale.ROOT), s.value(), s.until()));
            return 0;
        }
        if (by == null || by.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--by must name who sets or removes the silence");
        }
        Action action;
        if (what.remove != null) {
            action = new Action(null, null, Action.Kind.UNSILENCE, null, null, null, Action.Silence.of(what.remove.strip()), by.strip(), "", now);
        } else {
            if (until == null || !until.isAfter(now)) {
                throw new ParameterException(spec.commandLine(), "--until must be a time after now");
            }
            if (reason == null || reason.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--reason is required: why, for the list of silences");
            }
            Action.Silence.Target target = what.incident != null ? Action.Silence.Target.INCIDENT
                    : what.subject != null ? Action.Silence.Target.SUBJECT : Action.Silence.Target.ROLE;
            String value;
            try {
                value = what.incident != null ? what.incident.strip() : what.subject != null ? what.subject.strip() : Actions.role(what.role).name();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            action = new Action(null, null, Action.Kind.SILENCE, null, null, null, new Action.Silence(null, target, value, until),
                    by.strip(), reason, now);
        }
        ActCommand.check(action, cases);
        try (ActionPublisher publisher = new ActionPublisher(settings, timeout)) {
            publisher.publish(action);
        }
        System.out.printf("Recorded %s: %s%n", action.kind() == Action.Kind.SILENCE ? "silence " + action.silence().id() : "the removal",
                Actions.effect(action));
        return 0;
    }
}
