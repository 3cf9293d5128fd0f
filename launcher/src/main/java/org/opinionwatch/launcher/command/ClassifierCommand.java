package org.opinionwatch.launcher.command;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.classifier.query.IncidentQueryServer;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Runs the classifier stage until interrupted: posts.raw to incidents.severity, incidents.forecast and "
                + "incidents, with the incident query endpoint (GET /incidents, GET /incidents/{id}). Start more instances "
                + "with the same config to share the work.")
public final class ClassifierCommand extends StageCommand {
    @Option(names = "--query-port", defaultValue = "8090", description = "Port of the incident query endpoint (default ${DEFAULT-VALUE}).")
    int queryPort;

    // The host's name by default: instances of a scaled service (compose, Kubernetes) then advertise themselves apart.
    @Option(names = "--query-host", defaultValue = "${env:HOSTNAME:-localhost}",
            description = "Host name under which other instances and clients reach this one's query endpoint (default: "
                    + "$HOSTNAME, else localhost; now ${DEFAULT-VALUE}).")
    String queryHost;

    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        Properties overrides = new Properties();
        // Interactive queries: a request for an incident hosted elsewhere is redirected to this address.
        overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, queryHost + ":" + queryPort);
        try (MetricsEndpoint metrics = MetricsEndpoint.start("classifier", config.classifier().metricsPort())) {
            KafkaStreams streams = Classifier.start(config, overrides, metrics);
            try (IncidentQueryServer query = IncidentQueryServer.start(streams, "0.0.0.0", queryPort)) {
                System.out.printf("Classifier %s running; incidents at http://%s:%d/incidents; metrics at http://localhost:%d/metrics (Ctrl-C to stop)%n",
                        config.classifier().applicationId(), queryHost, query.port(), metrics.port());
                running.await(health("classifier", streams));
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
