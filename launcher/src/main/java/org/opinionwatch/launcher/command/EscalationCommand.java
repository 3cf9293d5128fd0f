package org.opinionwatch.launcher.command;

import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.escalation.clock.HeartbeatClock;
import org.opinionwatch.escalation.actions.ActionsEndpoint;
import org.opinionwatch.escalation.actions.StreamsCases;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;

@Command(name = "escalation", mixinStandardHelpOptions = true,
        description = "Runs the escalation stage until interrupted: the classifier's decisions (classifier.timeline) and actions "
                + "to notifications and tracking; with escalation.actions.enabled, also the endpoint where people record actions; with "
                + "escalation.clock.enabled, heartbeats of its own when ingest is silent. "
                + "Start more instances with the same config to share the work.")
public final class EscalationCommand extends StageCommand {
    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        boolean actions = config.escalation().actions() != null && config.escalation().actions().enabled();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("escalation", config.escalation().metricsPort(), config.endpoints())) {
            KafkaStreams streams = Escalation.start(config, null, metrics);
            // Closed in reverse order: the endpoint finishes the requests in flight before its producer closes.
            try (HeartbeatClock clock = config.escalation().clock().enabled() ? HeartbeatClock.start(config, metrics.registry(), Clock.systemUTC()) : null;
                 ActionPublisher publisher = actions ? new ActionPublisher(config, ActionPublisher.TIMEOUT) : null;
                 ActionsEndpoint endpoint = actions ? ActionsEndpoint.start(config, publisher,
                         new StreamsCases(streams, config.kafka().partitions(), null)) : null) {
                System.out.printf("Escalation %s running%s; metrics at http://%s:%d/metrics (Ctrl-C to stop)%n",
                        config.escalation().applicationId(), endpoint == null ? "" : "; actions recorded at http://"
                                + config.escalation().actions().host() + ":" + endpoint.port() + "/incidents/{id}/actions",
                        config.endpoints().metricsHost(), metrics.port());
                running.await(health("escalation", streams));
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
