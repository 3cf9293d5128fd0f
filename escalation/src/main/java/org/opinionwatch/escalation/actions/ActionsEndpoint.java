package org.opinionwatch.escalation.actions;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.link.ActionLink;
import org.opinionwatch.runtime.http.BearerToken;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;

/**
 * Where people record what they did and decided, over HTTP ({@code escalation.actions}), with a bearer token:
 *
 * <ul>
 *   <li>{@code POST /incidents/{id}/actions} with {@code {"duty": "respond", "by": "张老师", "note": "...", "at": "..."}}
 *       closes one duty; with {@code {"kind": "resolve" | "dismiss" | "set-level" | "clear-level" | "merge", ...}} the
 *       rest ({@link ActionRequest}). The id is the incident's, percent-encoded as in the classifier's
 *       {@code GET /incidents/{id}}.</li>
 *   <li>{@code POST /silences} sets a silence; {@code GET /silences} lists those in force; {@code DELETE
 *       /silences/{id}?by=NAME} removes one.</li>
 *   <li>{@code GET} and {@code POST /links/{token}}: the action links of chat messages and e-mails, without the
 *       token, as HTML pages ({@link LinkPages}), when {@code escalation.actions.links.secret} is set.</li>
 * </ul>
 *
 * <p>Answers: 202 with the action and what it does; 400 with {@code details}, a {@code {"field", "reason"}} for every
 * fault; 404 for an unknown incident, a duty that is not open in it (with its open duties), an unknown silence; 409
 * for a duty done already (by whom, when) or a case dismissed already; 307 to the instance that holds the incident
 * when several run; 401/403 for the token, 405, 413, 415; 503 when the stage cannot say now or the cluster did not
 * take the action (resend with the same {@code at}: it counts once). Nothing refused is published.
 *
 * <p>Which incidents exist and which duties are open is read from the escalation stage's own case store
 * ({@link Cases}, interactive queries of the running stage): the state that will apply the action, fresh, with no
 * consumer of its own to lag behind, and no second copy of the cases to keep in step.
 */
public final class ActionsEndpoint implements AutoCloseable {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String INCIDENTS = "/incidents/";
    private static final String ACTIONS = "/actions";
    private static final String SILENCES = "/silences";

    private final ActionPublisher publisher;
    private final Cases cases;
    private final BearerToken token;
    /** The action links' pages; null when links are not served. */
    private final LinkPages links;
    private HttpEndpoint server;

    private ActionsEndpoint(ActionPublisher publisher, Cases cases, BearerToken token, LinkPages links) {
        this.publisher = publisher;
        this.cases = cases;
        this.token = token;
        this.links = links;
    }

    /**
     * Listens on {@code escalation.actions.host} and {@code port} (0: a free one, see {@link #port()}), checks actions
     * against {@code cases} and publishes what it accepts with {@code publisher}, which the caller closes after this.
     */
    public static ActionsEndpoint start(OpinionWatchConfig config, ActionPublisher publisher, Cases cases) throws IOException {
        OpinionWatchConfig.ActionsEndpoint settings = config.escalation().actions();
        BearerToken token = new BearerToken(settings.token()); // never an endpoint without one
        LinkPages links = LinkPages.enabled(config.escalation()) ? new LinkPages(config.escalation(), cases, publisher) : null;
        ActionsEndpoint endpoint = new ActionsEndpoint(publisher, cases, token, links);
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
        String path = exchange.rawPath();
        if (links != null && path.startsWith(ActionLink.PATH)) {
            links.handle(exchange, path); // its own authority, the link's signature; pages, not JSON
            return;
        }
        if (path.equals(SILENCES) && exchange.method().equals("GET")) {
            token.authorise(exchange);
            exchange.respond(200, listed(Actions.now()));
            return;
        }
        Action action = action(exchange, path);
        Optional<Actions.Refusal> refusal;
        try {
            refusal = Actions.check(action, cases);
        } catch (Cases.Unavailable e) {
            throw HttpRefusal.ofRequest(503, "the escalation stage cannot say now (" + e.getMessage() + "): send it again shortly");
        } catch (Cases.Elsewhere e) {
            exchange.setHeader("Location", "http://" + e.hostAndPort() + path
                    + (exchange.rawQuery() == null ? "" : "?" + exchange.rawQuery()));
            throw HttpRefusal.ofRequest(307, "incident " + action.incidentId() + " is held by the instance at " + e.hostAndPort());
        }
        if (refusal.isPresent()) {
            throw HttpRefusal.ofRequest(refusal.get().status(), refusal.get().reason());
        }
        try {
            publisher.publish(action);
        } catch (RuntimeException e) {
            throw HttpRefusal.ofRequest(503, "the action could not be recorded, send it again later with \"at\": \""
                    + action.at() + "\" so that it counts once: " + e.getMessage());
        }
        exchange.respond(202, Recorded.of(action));
    }

    /** The request's action, or why it is refused; checks in the order that costs the client least to learn. */
    private Action action(Exchange exchange, String path) throws HttpRefusal, IOException {
        if (path.equals(SILENCES)) {
            allow(exchange, "POST", "GET, POST");
            token.authorise(exchange);
            return ActionRequest.silence(exchange.jsonBody(MAX_BODY_BYTES), Actions.now());
        }
        if (path.startsWith(SILENCES + "/") && path.length() > SILENCES.length() + 1) {
            allow(exchange, "DELETE", "DELETE");
            token.authorise(exchange);
            return ActionRequest.unsilence(path.substring(SILENCES.length() + 1), exchange.rawQuery(), Actions.now());
        }
        if (!path.startsWith(INCIDENTS) || !path.endsWith(ACTIONS) || path.length() <= INCIDENTS.length() + ACTIONS.length()) {
            throw HttpRefusal.ofRequest(404, "no such path: actions are recorded with POST " + INCIDENTS + "{id}" + ACTIONS
                    + ", silences with POST " + SILENCES);
        }
        allow(exchange, "POST", "POST");
        token.authorise(exchange);
        String body = exchange.jsonBody(MAX_BODY_BYTES);
        return ActionRequest.read(path.substring(INCIDENTS.length(), path.length() - ACTIONS.length()), body, Actions.now());
    }

    private static void allow(Exchange exchange, String method, String allowed) throws HttpRefusal {
        if (!exchange.method().equals(method)) {
            exchange.setHeader("Allow", allowed);
            throw HttpRefusal.ofRequest(405, "method " + exchange.method() + " not allowed: use " + allowed.replace(", ", " or "));
        }
    }

    /** The silences in force now, soonest to end first. */
    private List<Listed> listed(Instant now) throws HttpRefusal {
        try {
            return cases.silences().stream().filter(s -> s.until().isAfter(now))
                    .sorted(java.util.Comparator.comparing(Action.Silence::until))
                    .map(s -> new Listed(s.id(), s.target().name().toLowerCase(Locale.ROOT), s.value(), s.until())).toList();
        } catch (Cases.Unavailable e) {
            throw HttpRefusal.ofRequest(503, "the escalation stage cannot say now (" + e.getMessage() + "): ask again shortly");
        }
    }

    /** A silence in the list. */
    private record Listed(String id, String target, String value, Instant until) {
    }

    /** The answer to an accepted action: the action as it was sent, with its id and what it does. */
    private record Recorded(String id, String incidentId, String kind, String duty, Level level, String into, Action.Silence silence,
                            String by, String note, Instant at, String effect) {
        static Recorded of(Action a) {
            return new Recorded(a.id(), a.incidentId(), Actions.name(a.kind()), a.duty(), a.level(), a.into(), a.silence(), a.by(), a.note(),
                    a.at(), Actions.effect(a));
        }
    }
}
