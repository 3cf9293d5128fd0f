package org.opinionwatch.classifier.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.runtime.http.BearerToken;
import org.opinionwatch.runtime.http.Exchange;
import org.opinionwatch.runtime.http.HttpEndpoint;
import org.opinionwatch.runtime.http.HttpRefusal;

/**
 * HTTP answers from the classifier's incident store (Kafka Streams interactive queries): what is open now, and
 * where one incident stands. It reads the live store rather than the {@code incidents} topic, so an answer is the
 * state as of the classifier's last commit (incidents are written to the store at each commit, every
 * {@code streams.commitInterval}), with no consumer of its own to lag behind.
 *
 * <ul>
 *   <li>{@code GET /incidents}: a JSON array of this instance's open incidents (level above NONE and a subject),
 *       highest level first, then by id. Header {@code X-Partitions}: the store partitions this instance hosts and
 *       listed, e.g. {@code 0,2}. With several instances each lists only its own partitions; a complete list is
 *       the union over the instances (see {@link KafkaStreams#streamsMetadataForStore}). This server does not
 *       fan out, so that one slow instance never holds up another's answer.</li>
 *   <li>{@code GET /incidents/{id}}: one incident's state (also a subsided one), 404 for an unknown id, or 307 to
 *       the instance that hosts it.</li>
 *   <li>503 with a reason while the streams app is not RUNNING (starting, rebalancing, restoring): its stores may
 *       be missing or about to move. Any method but GET: 405.</li>
 *   <li>With {@code classifier.query.token} set, every request needs {@code Authorization: Bearer <token>}: 401
 *       without it, 403 with another. Every instance has the same token, so a client that follows a redirect sends it
 *       again (curl only with {@code --location-trusted}).</li>
 * </ul>
 *
 * <p>Redirects need each classifier to know its server's address: start the classifier with
 * {@code application.server} = this server's {@code host:port} in the overrides, e.g.
 * {@code Classifier.start(config, props("application.server", "host-a:8090"))} and an
 * {@code IncidentQueryServer.start} on port 8090. Without it a single instance still answers from its
 * own store; several instances cannot find each other's keys.
 */
public final class IncidentQueryServer implements AutoCloseable {
    /** The classifier's store of incident state per incident id ({@code ClassifierTopology.INCIDENT_STORE}). */
    public static final String STORE = "incidents";
    private static final String PATH = "/incidents";

    private final KafkaStreams streams;
    private final BearerToken token;
    private HttpEndpoint server;

    private IncidentQueryServer(KafkaStreams streams, BearerToken token) {
        this.streams = streams;
        this.token = token;
    }

    /**
     * Serves queries of {@code streams} on {@code query.host()} and {@code query.port()} (0: a free one, see
     * {@link #port()}), with its token if it has one. The streams app may still be starting: until it runs, the
     * answers are 503.
     */
    public static IncidentQueryServer start(KafkaStreams streams, OpinionWatchConfig.Query query, OpinionWatchConfig.Endpoints limits)
            throws IOException {
        IncidentQueryServer server = new IncidentQueryServer(streams,
                query.token() == null || query.token().isEmpty() ? null : new BearerToken(query.token()));
        server.server = HttpEndpoint.start("incident-query", query.host(), query.port(), limits, server::handle);
        return server;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(Exchange exchange) throws HttpRefusal {
        String path = exchange.rawPath();
        String rest = path.length() > PATH.length() ? path.substring(PATH.length()) : "";
        if (!path.startsWith(PATH) || !rest.isEmpty() && (!rest.startsWith("/") || rest.length() == 1)) {
            throw HttpRefusal.ofRequest(404, "no such resource: " + path);
        }
        if (!exchange.method().equals("GET")) {
            exchange.setHeader("Allow", "GET");
            throw HttpRefusal.ofRequest(405, "only GET is supported");
        }
        if (token != null) {
            token.authorise(exchange);
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw unavailable(exchange, "the classifier is " + state + ", not RUNNING");
        }
        try {
            if (rest.isEmpty()) {
                listOpen(exchange);
            } else {
                one(exchange, URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8));
            }
        } catch (InvalidStateStoreException e) {
            // A rebalance began between the state check and the read: the store moved or is restoring.
            throw unavailable(exchange, "the incident store is not queryable now: " + e.getMessage());
        }
    }

    private void listOpen(Exchange exchange) {
        List<ObjectNode> open = new ArrayList<>();
        TreeSet<Integer> listed = new TreeSet<>();
        for (int partition : storePartitions()) {
            Optional<ReadOnlyKeyValueStore<String, ?>> store = localStore(partition);
            if (store.isEmpty()) {
                continue; // hosted by another instance
            }
            listed.add(partition);
            try (KeyValueIterator<String, ?> all = store.get().all()) {
                while (all.hasNext()) {
                    KeyValue<String, ?> entry = all.next();
                    ObjectNode incident = view(entry.key, entry.value);
                    if (isOpen(incident)) {
                        open.add(incident);
                    }
                }
            }
        }
        open.sort(Comparator.comparing((ObjectNode i) -> Level.valueOf(i.path("level").asText())).reversed()
                .thenComparing(i -> i.path("incidentId").asText()));
        ArrayNode body = Json.TOLERANT.createArrayNode();
        body.addAll(open);
        exchange.setHeader("X-Partitions", listed.stream().map(String::valueOf).collect(Collectors.joining(",")));
        exchange.respond(200, body);
    }

    private void one(Exchange exchange, String id) throws HttpRefusal {
        KeyQueryMetadata where = streams.queryMetadataForKey(STORE, id, Serdes.String().serializer());
        if (where == null || where.partition() < 0) {
            throw unavailable(exchange, "no instance is known to host incident " + id + " yet");
        }
        // Local first, by the store itself rather than by comparing host names: the address this server was bound
        // to (say 0.0.0.0) need not be the one it is advertised as.
        Optional<ReadOnlyKeyValueStore<String, ?>> store = localStore(where.partition());
        if (store.isPresent()) {
            Object value = store.get().get(id);
            if (value == null) {
                throw HttpRefusal.ofRequest(404, "no incident " + id);
            }
            exchange.respond(200, view(id, value));
            return;
        }
        HostInfo host = where.activeHost();
        if (host == null || host.port() <= 0) {
            throw unavailable(exchange, "no instance is known to host incident " + id + " (is application.server set?)");
        }
        exchange.setHeader("Location", "http://" + host.host() + ":" + host.port() + PATH + "/" + exchange.rawPath().substring(PATH.length() + 1));
        throw HttpRefusal.ofRequest(307, "incident " + id + " is hosted by " + host.host() + ":" + host.port());
    }

    /** The store's partitions across the application: those of the source topics of its sub-topology. */
    private List<Integer> storePartitions() {
        int count = 0;
        for (StreamsMetadata instance : streams.streamsMetadataForStore(STORE)) {
            for (var tp : instance.topicPartitions()) {
                count = Math.max(count, tp.partition() + 1);
            }
            for (var tp : instance.standbyTopicPartitions()) {
                count = Math.max(count, tp.partition() + 1);
            }
        }
        if (count == 0) {
            // Without application.server Kafka Streams shares no metadata: fall back to the local tasks.
            for (var thread : streams.metadataForLocalThreads()) {
                for (var task : thread.activeTasks()) {
                    count = Math.max(count, task.taskId().partition() + 1);
                }
            }
        }
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            partitions.add(p);
        }
        return partitions;
    }

    /**
     * This instance's active store of one partition, or empty if another instance hosts it. Kafka Streams hands
     * out only active stores here (no stale standbys), so what it answers is the classifier's current state.
     */
    private Optional<ReadOnlyKeyValueStore<String, ?>> localStore(int partition) {
        try {
            ReadOnlyKeyValueStore<String, Object> store = streams.store(StoreQueryParameters
                    .fromNameAndType(STORE, QueryableStoreTypes.<String, Object>keyValueStore()).withPartition(partition));
            store.approximateNumEntries(); // the partition's absence shows only on first use
            return Optional.of(store);
        } catch (InvalidStateStoreException notHere) {
            return Optional.empty();
        }
    }

    /**
     * The public view of an incident. The store's values are the topology's own (package-private) record type;
     * through Jackson, the same mapper its serde uses, we read them by field name without depending on that type.
     */
    static ObjectNode view(String id, Object value) {
        JsonNode record = Json.TOLERANT.valueToTree(value);
        JsonNode window = record.path("window");
        ObjectNode out = Json.TOLERANT.createObjectNode();
        out.put("incidentId", id);
        out.set("subject", record.path("subject").isMissingNode() ? null : record.get("subject"));
        out.put("level", record.path("level").asText(Level.NONE.name()));
        ObjectNode metrics = out.putObject("metrics");
        metrics.put("views", window.path("views").asLong());
        metrics.put("comments", window.path("comments").asLong());
        metrics.put("outlets", window.path("outlets").size());
        out.set("openedAt", record.get("openedAt"));
        out.set("lastActivity", record.get("lastActivity"));
        out.set("rootPost", record.get("rootPost"));
        out.put("posts", record.path("posts").asLong());
        return out;
    }

    static boolean isOpen(JsonNode incident) {
        return !incident.path("level").asText().equals(Level.NONE.name()) && incident.hasNonNull("subject");
    }

    private static HttpRefusal unavailable(Exchange exchange, String reason) {
        exchange.setHeader("Retry-After", "1");
        return HttpRefusal.ofRequest(503, reason);
    }
}
