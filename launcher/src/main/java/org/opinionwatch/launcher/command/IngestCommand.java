package org.opinionwatch.launcher.command;

import java.time.Clock;
import java.util.Properties;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.ingest.poll.LiveIngest;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.runtime.metrics.Health;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Runs live ingest until interrupted: polls the configured forums and feeds, serves the push "
                + "endpoint if enabled, publishes to posts.raw (unreadable input to posts.dlq) and heartbeats to clock.")
public final class IngestCommand extends StageCommand {
    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        Properties producer = KafkaClients.properties(config.kafka());
        var settings = config.ingest();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("ingest", settings.metricsPort(), config.endpoints());
             PostPublisher publisher = new PostPublisher(config.topicNames(), producer,
                     PostBounds.live(settings.limits(), Clock.systemUTC()), settings.delivery());
             LiveIngest ingest = LiveIngest.start(settings, config.endpoints(), origin(), publisher, metrics.registry(), Clock.systemUTC())) {
            metrics.bind(publisher);
            // Ready while posts reach the broker; while it is away they are buffered and pushes may be refused.
            metrics.health(() -> new Health(publisher.state() == PostPublisher.State.DELIVERING, publisher.state().name()));
            System.out.printf("Ingesting; sources: %d%s; metrics at http://%s:%d/metrics (Ctrl-C to stop)%n",
                    settings.sources().size(),
                    ingest.pushPort() < 0 ? "" : "; push endpoint at http://" + settings.push().host() + ":" + ingest.pushPort() + settings.push().path(),
                    config.endpoints().metricsHost(), metrics.port());
            running.await(() -> null);
        }
    }
}
