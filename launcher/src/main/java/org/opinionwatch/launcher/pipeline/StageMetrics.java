package org.opinionwatch.launcher.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * The metrics endpoints of stages that run in one process (the demo, a replay, a test): one per stage, as if each ran
 * on its own, so that Prometheus scrapes them with the jobs of a real deployment.
 */
public record StageMetrics(MetricsEndpoint ingest, MetricsEndpoint classifier, MetricsEndpoint escalation,
                           MetricsEndpoint notifier) implements AutoCloseable {
    /**
     * @param configuredPorts the ports of the config (the demo: where the docs and Prometheus look), else free ones
     *     (replays and tests, which may run beside live stages)
     */
    public static StageMetrics start(OpinionWatchConfig config, boolean configuredPorts) {
        List<MetricsEndpoint> started = new ArrayList<>();
        try {
            started.add(MetricsEndpoint.start("ingest", configuredPorts ? config.ingest().metricsPort() : 0, config.endpoints()));
            started.add(MetricsEndpoint.start("classifier", configuredPorts ? config.classifier().metricsPort() : 0, config.endpoints()));
            started.add(MetricsEndpoint.start("escalation", configuredPorts ? config.escalation().metricsPort() : 0, config.endpoints()));
            started.add(MetricsEndpoint.start("notifier", configuredPorts ? config.notifier().metricsPort() : 0, config.endpoints()));
            return new StageMetrics(started.get(0), started.get(1), started.get(2), started.get(3));
        } catch (IOException e) {
            started.forEach(MetricsEndpoint::close);
            throw new UncheckedIOException("cannot serve the stages' metrics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (MetricsEndpoint e : List.of(ingest, classifier, escalation, notifier)) {
            e.close();
        }
    }
}
