package org.opinionwatch.runtime.http;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP endpoint of a stage (push, actions, incident queries, metrics and health) on Jetty's core server.
 *
 * <p>Jetty reads a request with its selectors until the request line and headers are complete, so a client that
 * sends half a request holds a connection and no thread, and the connection closes after
 * {@link OpinionWatchConfig.Endpoints#idleTimeout()} without a byte. A body is read by the handler's thread, which a
 * trickling client can hold only until its pace falls below {@link OpinionWatchConfig.Endpoints#minBodyBytesPerSecond()}
 * ({@link Exchange#jsonBody}). Every answer is JSON, Jetty's own refusals (a
 * malformed request, headers too large) included: {@link JsonErrors}.
 *
 * <p>Every path goes to the one handler, which routes and answers with its {@link Exchange}; a handler that throws
 * an {@link HttpRefusal} is answered with it, and one that fails otherwise with a 500 that says no more than that
 * (the cause goes to the log, not to the client).
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    /** How long {@link #close()} lets requests in flight finish. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /**
     * Threads that run handlers, beyond Jetty's acceptor and selector: a handler may wait for the cluster (push,
     * actions) or read a slow body, and such waits must not leave others unanswered.
     */
    private static final int HANDLER_THREADS = 16;

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        /** Answers with {@code exchange}; throwing a refusal answers the refusal instead. */
        void handle(Exchange exchange) throws HttpRefusal, IOException;
    }

    private final Server server;
    private final int port;

    private HttpEndpoint(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Listens on {@code host:port} (port 0: a free one, see {@link #port()}) and answers every request with
     * {@code handler}.
     *
     * @param name the endpoint's name, for its threads and the log
     * @throws IOException when the address cannot be listened on, naming it
     */
    public static HttpEndpoint start(String name, String host, int port, OpinionWatchConfig.Endpoints limits, Handler handler)
            throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(HANDLER_THREADS + 4, 2);
        threads.setName(name);
        threads.setDaemon(true); // a forgotten close must not keep the JVM alive
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setHttpCompliance(HttpCompliance.RFC9110);
        // An incident id may hold '/' (percent-encoded as %2F) and the handlers read the raw path themselves: Jetty's
        // refusal of such "ambiguous" paths protects servlet path mapping, which these endpoints do not use.
        http.setUriCompliance(UriCompliance.DEFAULT.with("opinion-watch",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new ConnectionLimit(limits.maxConnections(), connector));

        server.setErrorHandler(new JsonErrors());
        server.setHandler(new GracefulHandler(new Routed(handler, limits.minBodyBytesPerSecond())));
        server.setStopTimeout(GRACE.toMillis());
        server.setStopAtShutdown(false); // the stage closes its endpoints itself, in order
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            throw new IOException("cannot start the " + name + " endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new HttpEndpoint(server, connector.getLocalPort());
    }

    /** The port listened on: the one given, or the one chosen for port 0. */
    public int port() {
        return port;
    }

    /** Stops accepting connections and lets requests in flight finish, for a short grace. */
    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("an HTTP endpoint did not stop cleanly", e);
        }
    }

    /** Jetty's handler: each request to the endpoint's handler through an {@link Exchange}. */
    private static final class Routed extends org.eclipse.jetty.server.Handler.Abstract {
        private final Handler handler;
        private final long minBodyBytesPerSecond;

        Routed(Handler handler, long minBodyBytesPerSecond) {
            super(InvocationType.BLOCKING); // handlers read bodies and wait for the cluster
            this.handler = handler;
            this.minBodyBytesPerSecond = minBodyBytesPerSecond;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Exchange exchange = new Exchange(request, response, minBodyBytesPerSecond);
            try {
                handler.handle(exchange);
            } catch (HttpRefusal refusal) {
                exchange.refuse(refusal);
            } catch (IOException e) {
                // The client went away or sent less than it announced: nobody is left to answer.
                callback.failed(e);
                return true;
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
                exchange.refuse(HttpRefusal.ofRequest(500, "internal error: the request was not handled; see the stage's log"));
            }
            exchange.send(callback);
            return true;
        }
    }
}
