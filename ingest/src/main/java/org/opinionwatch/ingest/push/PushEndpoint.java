package org.opinionwatch.ingest.push;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.http.BearerToken;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;

/**
 * The JSON push endpoint: monitoring platforms and crawlers that collect posts themselves deliver them with
 * {@code POST {path}}, one {@code post/1} object or an array of them, authorised by a bearer token. A request is
 * accepted whole (202 {@code {"accepted": n}}) or refused whole with a 4xx {@code {"error": ..., "details": [...]}}
 * that says why, item by item, so the client can fix and resend. Refused input also goes to the sink as a dead
 * letter (source {@value #SOURCE}); refused credentials do not, they are not input.
 *
 * <p>The sink is called from one request at a time, and a request's posts are handed on together in their order, so
 * the sink sees posts in the order their requests were accepted and needs not be thread-safe. Requests themselves
 * are served by {@link HttpEndpoint}, so one slow client holds one thread at most and not the endpoint.
 */
public final class PushEndpoint implements AutoCloseable {
    static final String SOURCE = "push";

    private final PushSettings settings;
    private final PostSink sink;
    private final BearerToken token;
    private final Object sinkLock = new Object();
    private HttpEndpoint server;

    private PushEndpoint(PushSettings settings, PostSink sink) {
        this.settings = settings;
        this.sink = sink;
        this.token = new BearerToken(settings.token());
    }

    /** Starts listening (port 0 = a free port). Posts accepted are handed to the sink in request order. */
    public static PushEndpoint start(PushSettings settings, PostSink sink, OpinionWatchConfig.Endpoints limits) throws IOException {
        PushEndpoint endpoint = new PushEndpoint(settings, sink);
        endpoint.server = HttpEndpoint.start("push-endpoint", settings.host(), settings.port(), limits, endpoint::handle);
        return endpoint;
    }

    /** The port listened on: the one configured, or the one chosen for port 0. */
    public int port() {
        return server.port();
    }

    /** Stops accepting, lets requests in flight finish (short grace). */
    @Override
    public void close() {
        server.close();
    }

    private void handle(Exchange exchange) throws IOException, HttpRefusal {
        try {
            List<Post> posts = posts(exchange);
            toSink(() -> posts.forEach(sink::publish));
            exchange.respond(202, new Accepted(posts.size()));
        } catch (HttpRefusal rejection) {
            throw rejection.ofInput() ? deadLettered(exchange, rejection) : rejection;
        }
    }

    /** The request's posts, or why it is refused; checks in the order that costs the client least to learn. */
    private List<Post> posts(Exchange exchange) throws HttpRefusal, IOException {
        if (!exchange.rawPath().equals(settings.path())) {
            throw HttpRefusal.ofRequest(404, "no such path: posts are accepted at " + settings.path());
        }
        if (!exchange.method().equals("POST")) {
            exchange.setHeader("Allow", "POST");
            throw HttpRefusal.ofRequest(405, "method " + exchange.method() + " not allowed: use POST");
        }
        token.authorise(exchange);
        return PushedPosts.read(exchange.jsonBody(settings.maxBodyBytes()), settings.maxBatch());
    }

    /**
     * The refusal, once its input is dead-lettered; or, if the sink fails, a 503 in its place, so that the input is
     * not dropped silently: the client resends, and hears the refusal when the pipeline is back.
     */
    private HttpRefusal deadLettered(Exchange exchange, HttpRefusal refusal) {
        String from = exchange.remoteAddress();
        DeadLetter deadLetter = DeadLetter.of(SOURCE, "POST " + settings.path() + " from " + from,
                deadLetterReason(refusal), refusal.input(), Instant.now());
        try {
            toSink(() -> sink.reject(deadLetter));
            return refusal;
        } catch (HttpRefusal unavailable) {
            return unavailable;
        }
    }

    /** The reason with each bad item's, so the dead letter alone says what was wrong. */
    private static String deadLetterReason(HttpRefusal refusal) {
        StringBuilder reason = new StringBuilder(refusal.getMessage());
        for (Object item : refusal.details()) {
            reason.append("; ").append(item); // a PushedPosts.ItemError, "[index] reason"
        }
        return reason.toString();
    }

    /**
     * Calls the sink, for one request at a time. A failure there (the broker unreachable, a record refused) is a
     * 503: resending is safe even if part of a batch went through, because a snapshot is keyed by its post id and
     * the same snapshot twice never counts twice downstream.
     */
    private void toSink(Runnable call) throws HttpRefusal {
        synchronized (sinkLock) {
            try {
                call.run();
            } catch (RuntimeException e) {
                throw HttpRefusal.ofRequest(503, "posts could not be handed on, resend later: " + e.getMessage());
            }
        }
    }

    private record Accepted(int accepted) {
    }
}
