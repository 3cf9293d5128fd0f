package org.opinionwatch.launcher.command;

import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.ingest.poll.LiveIngest;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Runs live ingest until interrupted: polls the configured forums and feeds, serves the push "
                + "endpoint if enabled, publishes to posts.raw (unreadable input to posts.dlq) and heartbeats to clock.")
public final class IngestCommand extends StageCommand {
    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        var settings = config.ingest();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("ingest", settings.metricsPort());
             PostPublisher publisher = new PostPublisher(config.topicNames(), producer);
             LiveIngest ingest = LiveIngest.start(settings, origin(), publisher, metrics.registry(), Clock.systemUTC())) {
            metrics.bind(publisher.clientMetrics());
            System.out.printf("Ingesting; sources: %d%s; metrics at http://localhost:%d/metrics (Ctrl-C to stop)%n",
                    settings.sources().size(),
                    ingest.pushPort() < 0 ? "" : "; push endpoint at http://" + settings.push().host() + ":" + ingest.pushPort() + settings.push().path(),
                    metrics.port());
            running.await(() -> null);
        }
    }
}
