package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.escalation.actions.Actions;
import org.opinionwatch.launcher.pipeline.Pipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Records what a person did about an incident: one action on the {@code actions} topic, which the escalation stage
 * takes as fulfilling the duties it answers. The same as {@code POST /incidents/{id}/actions}.
 */
@Command(name = "act", mixinStandardHelpOptions = true,
        description = "Records an action on an incident (acknowledged, forwarded, responded, resolved, reviewed): "
                + "the duties it fulfils get no more reminders or overdue notices. Prints the action's id.")
public final class ActCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INCIDENT", description = "The incident's id: its first original post's id.")
    String incident;

    @Parameters(index = "1", paramLabel = "KIND", converter = KindConverter.class,
            description = "acknowledged, forwarded, responded, resolved or reviewed.")
    Action.Kind kind;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who acted.")
    String by;

    @Option(names = "--note", paramLabel = "TEXT", description = "What was done, for the incident's timeline.")
    String note;

    @Option(names = "--at", paramLabel = "ISO-INSTANT", converter = InstantConverter.class,
            description = "When it was done, e.g. 2024-05-01T17:00:00+08:00. Default: now. Give it to resend an action "
                    + "without recording it twice: the id comes from the incident, kind, person and time.")
    Instant at;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true, description = "Kafka cluster the escalation stage runs on.")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings over the defaults (see README).")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for the cluster before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant now = Actions.now();
        Instant when = at == null ? now : at;
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
        OpinionWatchConfig settings = ConfigLoader.load(config).withBootstrapServers(bootstrap);
        Action action = Action.of(incident, kind, by.strip(), note, when);
        createTopics(settings);
        try (ActionPublisher publisher = new ActionPublisher(settings, Duration.ofSeconds(timeoutSeconds))) {
            publisher.publish(action);
        }
        System.out.printf("Recorded action %s: %s %s by %s at %s; fulfils %s%n", action.id(), incident, Actions.name(kind),
                action.by(), action.at(), Actions.fulfils(kind));
        return 0;
    }

    /**
     * Creates the namespace's topics that are missing, as the stages do, so that {@code actions} has the partition
     * count of the topics the escalation stage reads beside it, whatever the broker's auto-creation would give. Also
     * the check that the cluster answers, bounded by the timeout: a command that hangs tells the person nothing.
     */
    private void createTopics(OpinionWatchConfig settings) {
        int millis = Math.toIntExact(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        try (Admin admin = Admin.create(KafkaClients.settings(settings.kafka(), Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis)))) {
            try {
                admin.describeCluster().clusterId().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(noAnswer(e.getCause(), settings.kafka().security()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: nothing was recorded");
            }
            TopicSetup.create(admin, settings, false);
        }
    }

    /**
     * Why the cluster did not let the command in. The admin client gives up after its default API timeout; a secured
     * cluster does just that to a client that brings no credentials (it closes the connection, and the client tries
     * again), so the message says what else than a cluster that is down it may be.
     */
    private String noAnswer(Throwable cause, OpinionWatchConfig.Security security) {
        if (cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
            return "authentication with the Kafka cluster at " + bootstrap + " failed (kafka.security, protocol "
                    + security.protocol() + (security.protocol().sasl() ? ", user " + security.sasl().username() : "") + "): "
                    + cause.getMessage() + ". Nothing was recorded.";
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer from the Kafka cluster at " + bootstrap + " within " + timeoutSeconds + " s: is it running, and "
                    + "reachable from here" + (security.protocol() == OpinionWatchConfig.Security.Protocol.PLAINTEXT
                    ? "? A cluster that requires authentication gives no answer to a client without the kafka.security settings "
                    + "(docs/kafka-security.md)."
                    : " with protocol " + security.protocol() + "?") + " Nothing was recorded.";
        }
        return "the Kafka cluster at " + bootstrap + " answered: " + cause.getMessage() + ". Nothing was recorded.";
    }

    static final class KindConverter implements CommandLine.ITypeConverter<Action.Kind> {
        @Override
        public Action.Kind convert(String value) {
            try {
                return Actions.kind(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
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
