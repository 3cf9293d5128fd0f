package org.opinionwatch.runtime.metrics;

import com.sun.net.httpserver.HttpServer;
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
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A stage's meters for Prometheus at {@code GET /metrics}, tagged {@code stage=<name>}, with the JVM's meters bound.
 * Binders given to {@link #bind} (Kafka clients, Kafka Streams) are closed with the endpoint. The JDK's HTTP server
 * is enough for one read-only route.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final Deque<AutoCloseable> bound = new ArrayDeque<>();

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /**
     * @param stage the stage's name, the {@code stage} tag of every meter
     * @param port 0 for a free port
     */
    public static MetricsEndpoint start(String stage, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("stage", stage);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
        for (MeterBinder jvm : new MeterBinder[] {new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics()}) {
            endpoint.bind(jvm);
        }
        return endpoint;
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
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
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
