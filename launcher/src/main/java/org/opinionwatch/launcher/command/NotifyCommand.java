package org.opinionwatch.launcher.command;

import java.util.stream.Collectors;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.runtime.metrics.Health;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Runs the notifier until interrupted: sends each notification to the channels of its role or department "
                + "(WeCom, DingTalk and Feishu robots, e-mail, signed webhooks: notifier.channels, notifier.webhooks), to whoever is "
                + "on duty, retrying until each takes it, and records every outcome on notifications.deliveries (docs/channels.md). "
                + "Start more instances with the same config to share the work.")
public final class NotifyCommand extends StageCommand {
    /** A channel without its credentials stops the command before a broker is started or a topic created. */
    @Override
    public Integer call() throws Exception {
        Notifier.check(cluster.load());
        return super.call();
    }

    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        var settings = config.notifier();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("notifier", settings.metricsPort(), config.endpoints());
             Notifier notifier = Notifier.start(config, metrics.registry())) {
            metrics.bind(notifier.clientMetrics());
            metrics.health(() -> new Health(notifier.isRunning(), notifier.isRunning() ? "RUNNING" : "STOPPED"));
            System.out.printf("Notifier %s running; channels: %s; metrics at http://%s:%d/metrics (Ctrl-C to stop)%n",
                    settings.groupId(),
                    notifier.channels().isEmpty() ? "none (every notification is recorded as skipped)"
                            : notifier.channels().values().stream().map(Object::toString).collect(Collectors.joining(", ")),
                    config.endpoints().metricsHost(), metrics.port());
            // A notifier that stopped on its own (a fatal Kafka error) ends the command rather than leave it idle.
            running.await(() -> notifier.isRunning() ? null
                    : "the notifier stopped working: " + notifier.failure().map(Throwable::toString).orElse("unknown cause"));
        }
    }
}
