package org.opinionwatch.ingest.push;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostSink;
import org.opinionwatch.runtime.http.BearerToken;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON push endpoint: monitoring platforms and crawlers that collect posts themselves deliver them with
 * {@code POST {path}}, one {@code post/1} object or an array of them, authorised by a bearer token. A request is
 * accepted whole (202 {@code {"accepted": n}}: the sink took every post for delivery) or refused whole: with a 4xx
 * {@code {"error": ..., "details": [...]}} that says why, item by item and field by field, so the client can fix and
 * resend; or, when the sink has no room for it now, with a 503 and {@code Retry-After}, to resend as it was. Refused
 * input also goes to the sink as a dead letter (source {@value #SOURCE}), if it has room; refused credentials do
 * not, they are not input.
 *
 * <p>The sink is called from one request at a time, and a request's posts are handed on together in their order, so
 * the sink sees posts in the order their requests were accepted and needs not be thread-safe. Requests themselves
 * are served by {@link HttpEndpoint}, so one slow client holds one thread at most and not the endpoint.
 */
public final class PushEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushEndpoint.class);
    static final String SOURCE = "push";

    private final PushSettings settings;
    private final PostSink sink;
    private final PostBounds bounds;
    private final BearerToken token;
    private final Object sinkLock = new Object();
    private HttpEndpoint server;

    private PushEndpoint(PushSettings settings, PostSink sink, PostBounds bounds) {
        this.settings = settings;
        this.sink = sink;
        this.bounds = bounds;
        this.token = new BearerToken(settings.token());
    }

    /**
     * Starts listening (port 0 = a free port). Posts accepted are handed to the sink in request order.
     *
     * @param bounds what each post must keep to be accepted
     */
    public static PushEndpoint start(PushSettings settings, PostSink sink, OpinionWatchConfig.Endpoints limits, PostBounds bounds)
            throws IOException {
        PushEndpoint endpoint = new PushEndpoint(settings, sink, bounds);
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
            toSink(exchange, posts);
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
        return PushedPosts.read(exchange.jsonBody(settings.maxBodyBytes()), settings.maxBatch(), bounds);
    }

    /**
     * The refusal, once its input is dead-lettered. The refusal stands whether or not the sink has room for the dead
     * letter: the same input is refused again whenever it is sent, so the client is told now, and a dead letter
     * without room is logged instead.
     */
    private HttpRefusal deadLettered(Exchange exchange, HttpRefusal refusal) {
        String from = exchange.remoteAddress();
        DeadLetter deadLetter = DeadLetter.of(SOURCE, "POST " + settings.path() + " from " + from,
                deadLetterReason(refusal), refusal.input(), Instant.now());
        boolean taken;
        try {
            synchronized (sinkLock) {
                taken = sink.tryReject(deadLetter);
            }
        } catch (RuntimeException e) {
            taken = false;
        }
        if (!taken) {
            LOG.warn("no room for the dead letter of a refused push from {}, answered {}: {}", from, refusal.status(), deadLetter.reason());
        }
        return refusal;
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
     * Offers the posts to the sink, for one request at a time. The sink takes all of them or none: when it has no
     * room, the answer is 503 with {@code Retry-After}, and nothing of the request was taken.
     */
    private void toSink(Exchange exchange, List<Post> posts) throws HttpRefusal {
        synchronized (sinkLock) {
            try {
                sink.offer(posts);
            } catch (PostSink.Unavailable e) {
                long seconds = Math.max(1, e.retryAfter().toSeconds());
                exchange.setHeader("Retry-After", Long.toString(seconds));
                throw HttpRefusal.ofRequest(503, "posts not accepted, resend in " + seconds + " s: " + e.getMessage());
            }
        }
    }

    private record Accepted(int accepted) {
    }
}
