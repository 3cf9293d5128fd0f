package org.opinionwatch.launcher.command;

import java.util.stream.Collectors;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.notifier.webhook.Endpoint;
import org.opinionwatch.runtime.metrics.Health;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Runs the webhook notifier until interrupted: POSTs each notification, signed, to the webhook of its "
                + "role (notifier.webhooks), retrying until it is taken, and records every outcome on notifications.deliveries. "
                + "Start more instances with the same config to share the work.")
public final class NotifyCommand extends StageCommand {
    /** A webhook without its secret stops the command before a broker is started or a topic created. */
    @Override
    public Integer call() throws Exception {
        Endpoint.of(cluster.load().notifier().webhooks());
        return super.call();
    }

    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        var settings = config.notifier();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("notifier", settings.metricsPort(), config.endpoints());
             Notifier notifier = Notifier.start(config, metrics.registry())) {
            metrics.bind(notifier.clientMetrics());
            metrics.health(() -> new Health(notifier.isRunning(), notifier.isRunning() ? "RUNNING" : "STOPPED"));
            System.out.printf("Notifier %s running; webhooks: %s; metrics at http://%s:%d/metrics (Ctrl-C to stop)%n",
                    settings.groupId(),
                    notifier.endpoints().isEmpty() ? "none (every notification is recorded as skipped)"
                            : notifier.endpoints().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                    config.endpoints().metricsHost(), metrics.port());
            // A notifier that stopped on its own (a fatal Kafka error) ends the command rather than leave it idle.
            running.await(() -> notifier.isRunning() ? null
                    : "the notifier stopped working: " + notifier.failure().map(Throwable::toString).orElse("unknown cause"));
        }
    }
}
