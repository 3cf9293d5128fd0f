package org.opinionwatch.escalation.actions;

import java.io.IOException;
import java.time.Instant;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.runtime.http.BearerToken;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;

/**
 * Where people record what they did about an incident, over HTTP ({@code escalation.actions}):
 * {@code POST /incidents/{id}/actions} with {@code {"kind": "responded", "by": "张老师", "note": "...", "at": "..."}}
 * ({@code note} and {@code at} optional, {@code at} defaults to now) and a bearer token. The id is the incident's,
 * percent-encoded as in the classifier's {@code GET /incidents/{id}}.
 *
 * <ul>
 *   <li>202: published on the {@code actions} topic; the answer is the action with its id and what it fulfils.</li>
 *   <li>400 with {@code details}, a {@code {"field", "reason"}} for every fault: malformed JSON, an unknown kind or
 *       field, no {@code by}, a bad or future {@code at}; 413 over {@value #MAX_BODY_BYTES} bytes; 415 not
 *       {@code application/json} in UTF-8; 401 without the token, 403 with a wrong one; 405 other methods; 404
 *       other paths.</li>
 *   <li>503: the cluster did not take the action in time; resend with the same {@code at} and it counts once.</li>
 * </ul>
 *
 * <p>Nothing refused is published or kept: unlike pushed posts, an action comes from a person at the other end,
 * who reads the answer.
 */
public final class ActionsEndpoint implements AutoCloseable {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String PREFIX = "/incidents/";
    private static final String SUFFIX = "/actions";

    private final ActionPublisher publisher;
    private final BearerToken token;
    private HttpEndpoint server;

    private ActionsEndpoint(ActionPublisher publisher, BearerToken token) {
        this.publisher = publisher;
        this.token = token;
    }

    /**
     * Listens on {@code escalation.actions.host} and {@code port} (0: a free one, see {@link #port()}) and
     * publishes what it accepts with {@code publisher}, which the caller closes after this.
     */
    public static ActionsEndpoint start(OpinionWatchConfig config, ActionPublisher publisher) throws IOException {
        OpinionWatchConfig.ActionsEndpoint settings = config.escalation().actions();
        BearerToken token = new BearerToken(settings.token()); // never an endpoint without one
        ActionsEndpoint endpoint = new ActionsEndpoint(publisher, token);
        endpoint.server = HttpEndpoint.start("actions-endpoint", settings.host(), settings.port(), config.endpoints(), endpoint::handle);
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

    private void handle(Exchange exchange) throws HttpRefusal, IOException {
        Action action = action(exchange);
        try {
            publisher.publish(action);
        } catch (RuntimeException e) {
            throw HttpRefusal.ofRequest(503, "the action could not be recorded, send it again later with \"at\": \""
                    + action.at() + "\" so that it counts once: " + e.getMessage());
        }
        exchange.respond(202, Recorded.of(action));
    }

    /** The request's action, or why it is refused; checks in the order that costs the client least to learn. */
    private Action action(Exchange exchange) throws HttpRefusal, IOException {
        String path = exchange.rawPath();
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
            throw HttpRefusal.ofRequest(404, "no such path: actions are recorded with POST " + PREFIX + "{id}" + SUFFIX);
        }
        if (!exchange.method().equals("POST")) {
            exchange.setHeader("Allow", "POST");
            throw HttpRefusal.ofRequest(405, "method " + exchange.method() + " not allowed: use POST");
        }
        token.authorise(exchange);
        String body = exchange.jsonBody(MAX_BODY_BYTES);
        return ActionRequest.read(path.substring(PREFIX.length(), path.length() - SUFFIX.length()), body, Actions.now());
    }

    /** The answer to an accepted action: the action as it was sent, with its id and what it fulfils. */
    private record Recorded(String id, String incidentId, String kind, String by, String note, Instant at, String fulfils) {
        static Recorded of(Action a) {
            return new Recorded(a.id(), a.incidentId(), Actions.name(a.kind()), a.by(), a.note(), a.at(), Actions.fulfils(a.kind()));
        }
    }
}
