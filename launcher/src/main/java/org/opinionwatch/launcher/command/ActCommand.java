package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.escalation.actions.Actions;
import org.opinionwatch.escalation.actions.Cases;
import org.opinionwatch.escalation.actions.ChangelogCases;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Records what a person did or decided about an incident: one action on the {@code actions} topic, checked first
 * against the escalation stage's cases (read from its changelog: this command runs away from the stage). The same as
 * {@code POST /incidents/{id}/actions}.
 */
@Command(name = "act", mixinStandardHelpOptions = true,
        description = {"Records an action on an incident, once the escalation stage's case of it can take it:",
                "  act INCIDENT DUTY --by NAME             the duty (such as respond) is done; only that duty closes",
                "  act INCIDENT resolve --by NAME          every open duty of the incident closes",
                "  act INCIDENT dismiss --by NAME --reason TEXT     not about us, or a false alarm: the case closes",
                "  act INCIDENT set-level LEVEL --by NAME --reason TEXT   a level the automatic one does not lower",
                "  act INCIDENT clear-level --by NAME      the automatic level applies again",
                "  act INCIDENT merge OTHER --by NAME --reason TEXT      the incident goes on as OTHER",
                "An unknown incident, a duty that is not open, a case dismissed already: an error that says so, nothing recorded.",
                "Prints the action's id and what it does."})
public final class ActCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INCIDENT", description = "The incident's id: its first original post's id.")
    String incident;

    @Parameters(index = "1", paramLabel = "DUTY|ACTION", description = "A duty key (triage-and-forward, respond, convene-emergency-meeting, ...) "
            + "or resolve, dismiss, set-level, clear-level, merge.")
    String what;

    @Parameters(index = "2", arity = "0..1", paramLabel = "LEVEL|OTHER", description = "set-level: the level; merge: the incident it goes on as.")
    String argument;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who acted.")
    String by;

    @Option(names = {"--note", "--reason"}, paramLabel = "TEXT", description = "What was done, or why (required for dismiss, set-level and merge).")
    String note;

    @Option(names = "--at", paramLabel = "ISO-INSTANT", converter = InstantConverter.class,
            description = "When it was done, e.g. 2024-05-01T17:00:00+08:00. Default: now. Give it to resend an action "
                    + "without recording it twice: the id comes from what it says, the person and the time.")
    Instant at;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true, description = "Kafka cluster the escalation stage runs on.")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults (docs/configuration.md).")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for the cluster before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant now = Actions.now();
        Action action = action(at == null ? now : at, now);
        OpinionWatchConfig settings = ConfigLoader.load(config).withBootstrapServers(bootstrap);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        answers(settings, timeoutSeconds);
        check(action, new ChangelogCases(settings, timeout));
        createTopics(settings);
        try (ActionPublisher publisher = new ActionPublisher(settings, timeout)) {
            publisher.publish(action);
        }
        System.out.printf("Recorded action %s: %s %s by %s at %s; %s%n", action.id(), incident, action.kind() == Action.Kind.DONE
                ? action.duty() : Actions.name(action.kind()), action.by(), action.at(), Actions.effect(action));
        return 0;
    }

    /** The action the arguments say, or a usage error that says what is wrong. */
    private Action action(Instant when, Instant now) {
        if (incident.isBlank()) {
            throw new ParameterException(spec.commandLine(), "INCIDENT must not be empty");
        }
        if (by.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--by must name who acted");
        }
        if (timeoutSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, not " + timeoutSeconds);
        }
        try {
            Actions.checkNotFuture(when, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--at " + e.getMessage());
        }
        Action.Kind kind;
        Level level = null;
        try {
            kind = Actions.kind(what);
            if (kind == Action.Kind.SET_LEVEL) {
                level = Actions.level(required("LEVEL", "set-level"));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String into = kind == Action.Kind.MERGE ? required("OTHER", "merge") : null;
        if (argument != null && kind != Action.Kind.SET_LEVEL && kind != Action.Kind.MERGE) {
            throw new ParameterException(spec.commandLine(), "unexpected " + argument + ": only set-level and merge take a third argument");
        }
        if ((kind == Action.Kind.DISMISS || kind == Action.Kind.SET_LEVEL || kind == Action.Kind.MERGE) && (note == null || note.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--reason is required with " + Actions.name(kind) + ": why, for the case's timeline");
        }
        try {
            return new Action(null, incident.strip(), kind, kind == Action.Kind.DONE ? what.strip() : null, level, into, null, by.strip(), note, when);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private String required(String label, String kind) {
        if (argument == null || argument.isBlank()) {
            throw new ParameterException(spec.commandLine(), kind + " needs " + label);
        }
        return argument.strip();
    }

    /** Refuses, with the stage's reason, an action its cases cannot take: nothing is recorded then. */
    static void check(Action action, Cases cases) {
        Optional<Actions.Refusal> refusal;
        try {
            refusal = Actions.check(action, cases);
        } catch (Cases.Unavailable e) {
            throw new IllegalStateException("cannot check the action against the escalation stage's cases: " + e.getMessage()
                    + ". Nothing was recorded.");
        }
        refusal.ifPresent(r -> {
            throw new IllegalStateException(r.reason());
        });
    }

    /** That the cluster answers and lets us in, bounded by the timeout: a command that hangs tells the person nothing. */
    static void answers(OpinionWatchConfig settings, int timeoutSeconds) {
        int millis = Math.toIntExact(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        try (Admin admin = Admin.create(KafkaClients.settings(settings.kafka(), Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis)))) {
            admin.describeCluster().clusterId().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(noAnswer(e.getCause(), settings.kafka(), timeoutSeconds), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: nothing was recorded");
        }
    }

    /**
     * Creates the namespace's topics that are missing, as the stages do, so that {@code actions} has the partition
     * count of the topics the escalation stage reads beside it, whatever the broker's auto-creation would give.
     */
    private void createTopics(OpinionWatchConfig settings) {
        int millis = Math.toIntExact(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        try (Admin admin = Admin.create(KafkaClients.settings(settings.kafka(), Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis)))) {
            TopicSetup.create(admin, settings, false);
        }
    }

    /**
     * Why the cluster did not let the command in. The admin client gives up after its default API timeout; a secured
     * cluster does just that to a client that brings no credentials (it closes the connection, and the client tries
     * again), so the message says what else than a cluster that is down it may be.
     */
    private static String noAnswer(Throwable cause, OpinionWatchConfig.Kafka kafka, int timeoutSeconds) {
        String at = kafka.bootstrapServers();
        OpinionWatchConfig.Security security = kafka.security();
        if (cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
            return "authentication with the Kafka cluster at " + at + " failed (kafka.security, protocol "
                    + security.protocol() + (security.protocol().sasl() ? ", user " + security.sasl().username() : "") + "): "
                    + cause.getMessage() + ". Nothing was recorded.";
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer from the Kafka cluster at " + at + " within " + timeoutSeconds + " s: is it running, and "
                    + "reachable from here" + (security.protocol() == OpinionWatchConfig.Security.Protocol.PLAINTEXT
                    ? "? A cluster that requires authentication gives no answer to a client without the kafka.security settings "
                    + "(docs/kafka-security.md)."
                    : " with protocol " + security.protocol() + "?") + " Nothing was recorded.";
        }
        return "the Kafka cluster at " + at + " answered: " + cause.getMessage() + ". Nothing was recorded.";
    }

    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Actions.instant(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
