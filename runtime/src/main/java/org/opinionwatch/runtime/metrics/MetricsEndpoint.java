package org.opinionwatch.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Supplier;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;

/**
 * A stage's operations endpoint: its meters for Prometheus at {@code GET /metrics}, tagged {@code stage=<name>},
 * with the JVM's meters bound, and its readiness at {@code GET /health} ({@link Health}). Binders given to
 * {@link #bind} (Kafka clients, Kafka Streams) are closed with the endpoint.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final OpinionWatchConfig.Endpoints DEFAULT_LIMITS = ConfigLoader.load(null, Map.of()).endpoints();

    private final PrometheusMeterRegistry registry;
    private final Deque<AutoCloseable> bound = new ArrayDeque<>();
    private volatile Supplier<Health> health = () -> Health.STARTING;
    private HttpEndpoint server;

    private MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Listens on {@code endpoints.metricsHost} and {@code port}.
     *
     * @param stage the stage's name, the {@code stage} tag of every meter
     * @param port 0 for a free port
     */
    public static MetricsEndpoint start(String stage, int port, OpinionWatchConfig.Endpoints endpoints) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("stage", stage);
        MetricsEndpoint endpoint = new MetricsEndpoint(registry);
        endpoint.server = HttpEndpoint.start(stage + "-metrics", endpoints.metricsHost(), port, endpoints, endpoint::handle);
        for (MeterBinder jvm : new MeterBinder[] {new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics()}) {
            endpoint.bind(jvm);
        }
        return endpoint;
    }

    /** On loopback with the default limits, a free port if {@code port} is 0: what tests need. */
    public static MetricsEndpoint start(String stage, int port) throws IOException {
        return start(stage, port, DEFAULT_LIMITS);
    }

    /** What {@code GET /health} answers from now on: the stage says how to tell, once it has started. */
    public void health(Supplier<Health> health) {
        this.health = health;
    }

    /** Binds {@code binder} to the registry; one that holds resources (a scheduler, a listener) closes with the endpoint. */
    public MetricsEndpoint bind(MeterBinder binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            bound.push(closeable);
        }
        return this;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public int port() {
        return server.port();
    }

    private void handle(Exchange exchange) throws HttpRefusal {
        String path = exchange.rawPath();
        if (!path.equals("/metrics") && !path.equals("/health")) {
            throw HttpRefusal.ofRequest(404, "no such path: GET /metrics or /health");
        }
        if (!exchange.method().equals("GET")) {
            exchange.setHeader("Allow", "GET");
            throw HttpRefusal.ofRequest(405, "method " + exchange.method() + " not allowed: use GET");
        }
        if (path.equals("/metrics")) {
            exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8));
        } else {
            Health now = health.get();
            exchange.respond(now.ready() ? 200 : 503, new HealthAnswer(now.ready() ? "UP" : "DOWN", now.state()));
        }
    }

    private record HealthAnswer(String status, String state) {
    }

    @Override
    public void close() {
        server.close();
        while (!bound.isEmpty()) {
            try {
                bound.pop().close();
            } catch (Exception e) {
                // A binder that cannot stop cleanly must not keep the stage from closing: its meters go with the registry.
                System.getLogger(MetricsEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                        "a metrics binder did not close cleanly", e);
            }
        }
        registry.close();
    }
}
