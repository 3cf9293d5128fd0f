package org.opinionwatch.launcher.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.metrics.MetricsEndpoint;

/**
 * The metrics endpoints of stages that run in one process (the demo, a replay, a test): one per stage, as if each ran
 * on its own, so that Prometheus scrapes them with the jobs of a real deployment.
 */
public final class StageMetrics implements AutoCloseable {
    private final MetricsEndpoint ingest;
    private final MetricsEndpoint classifier;
    private final MetricsEndpoint escalation;
    private final MetricsEndpoint notifier;

    private StageMetrics(List<MetricsEndpoint> endpoints) {
        this.ingest = endpoints.get(0);
        this.classifier = endpoints.get(1);
        this.escalation = endpoints.get(2);
        this.notifier = endpoints.get(3);
    }

    /**
     * @param configuredPorts the ports of the config (the demo: where the docs and Prometheus look), else free ones
     *     (replays and tests, which may run beside live stages)
     */
    public static StageMetrics start(OpinionWatchConfig config, boolean configuredPorts) {
        List<MetricsEndpoint> started = new ArrayList<>();
        try {
            started.add(MetricsEndpoint.start("ingest", configuredPorts ? config.ingest().metricsPort() : 0));
            started.add(MetricsEndpoint.start("classifier", configuredPorts ? config.classifier().metricsPort() : 0));
            started.add(MetricsEndpoint.start("escalation", configuredPorts ? config.escalation().metricsPort() : 0));
            started.add(MetricsEndpoint.start("notifier", configuredPorts ? config.notifier().metricsPort() : 0));
            return new StageMetrics(started);
        } catch (IOException e) {
            started.forEach(MetricsEndpoint::close);
            throw new UncheckedIOException("cannot serve the stages' metrics: " + e.getMessage(), e);
        }
    }

    public MetricsEndpoint ingest() {
        return ingest;
    }

    public MetricsEndpoint classifier() {
        return classifier;
    }

    public MetricsEndpoint escalation() {
        return escalation;
    }

    public MetricsEndpoint notifier() {
        return notifier;
    }

    @Override
    public void close() {
        for (MetricsEndpoint e : List.of(ingest, classifier, escalation, notifier)) {
            e.close();
        }
    }
}
