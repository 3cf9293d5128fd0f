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
        description = "Runs the classifier stage until interrupted: posts.raw to incidents.severity, incidents.forecast, "
                + "incidents and classifier.timeline, with the incident query endpoint (GET /incidents, GET /incidents/{id}) on classifier.query. "
                + "Start more instances with the same config to share the work.")
public final class ClassifierCommand extends StageCommand {
    @Option(names = "--query-port", description = "Port of the incident query endpoint (default: classifier.query.port).")
    Integer queryPort;

    // The host's name by default: instances of a scaled service (compose, Kubernetes) then advertise themselves apart.
    @Option(names = "--query-host", defaultValue = "${env:HOSTNAME:-localhost}",
            description = "Host name under which other instances and clients reach this one's query endpoint, for "
                    + "redirects (default: $HOSTNAME, else localhost; now ${DEFAULT-VALUE}). The endpoint listens on "
                    + "classifier.query.host.")
    String queryHost;

    @Override
    void run(OpinionWatchConfig config, UntilStopped.Running running) throws Exception {
        OpinionWatchConfig.Query query = config.classifier().query();
        if (queryPort != null) {
            query = new OpinionWatchConfig.Query(query.host(), queryPort, query.token());
        }
        Properties overrides = new Properties();
        // Interactive queries: a request for an incident hosted elsewhere is redirected to this address.
        overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, queryHost + ":" + query.port());
        try (MetricsEndpoint metrics = MetricsEndpoint.start("classifier", config.classifier().metricsPort(), config.endpoints())) {
            KafkaStreams streams = Classifier.start(config, overrides, metrics);
            try (IncidentQueryServer server = IncidentQueryServer.start(streams, query, config.endpoints())) {
                System.out.printf("Classifier %s running; incidents at http://%s:%d/incidents (listening on %s%s); "
                                + "metrics at http://%s:%d/metrics (Ctrl-C to stop)%n",
                        config.classifier().applicationId(), queryHost, server.port(), query.host(),
                        query.token().isEmpty() ? ", no token" : ", bearer token", config.endpoints().metricsHost(), metrics.port());
                running.await(health("classifier", streams));
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
