package org.opinionwatch.escalation.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.topic.Topics;

/** The actions endpoint on loopback, publishing to the {@code actions} topic of a real broker. */
class ActionsEndpointTest {
    private static final String TOKEN = "actions-token-for-tests";
    /** Every refused request names this incident: none of its actions may reach the topic. */
    private static final String REFUSED = "refused";

    private static OpinionWatchConfig config;
    private static ActionPublisher publisher;
    private static ActionsEndpoint endpoint;
    /** Reads the topic from its start each time; one for the class, as creating a consumer takes a while. */
    private static KafkaConsumer<String, Action> consumer;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        config = config(EmbeddedKafka.shared().bootstrapServers());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.topicNames().actions().name(), 3, (short) 1))).all().get();
        }
        publisher = new ActionPublisher(config, ActionPublisher.TIMEOUT);
        endpoint = ActionsEndpoint.start(config, publisher);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                        // at the end of a partition the broker would otherwise hold each fetch for half a second
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), Topics.ACTION.deserializer());
        String topic = config.topicNames().actions().name();
        consumer.assign(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
    }

    @AfterAll
    static void stop() {
        consumer.close();
        endpoint.close();
        publisher.close();
    }

    /** The defaults with the endpoint enabled on a free loopback port, in a topic namespace of this test's own. */
    private static OpinionWatchConfig config(String bootstrap) {
        return ConfigLoader.load(null, Map.of(
                "OW_TOPICS_PREFIX", "actions-endpoint-" + System.nanoTime() + ".",
                "OW_ESCALATION_ACTIONS_ENABLED", "true",
                "OW_ESCALATION_ACTIONS_HOST", "127.0.0.1",
                "OW_ESCALATION_ACTIONS_PORT", "0",
                "OW_ESCALATION_ACTIONS_TOKEN", TOKEN)).withBootstrapServers(bootstrap);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        return Json.TOLERANT.readTree(response.body());
    }

    /** Every record on the actions topic so far. */
    private static List<ConsumerRecord<String, Action>> published() {
        consumer.seekToBeginning(consumer.assignment());
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, Action>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (end.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            assertTrue(System.nanoTime() < deadline, "the topic could not be read to its end");
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    private static List<ConsumerRecord<String, Action>> published(String incidentId) {
        return published().stream().filter(r -> r.key().equals(incidentId)).toList();
    }

    /** Asserts the status and error, and that nothing was published. */
    private static JsonNode assertRefused(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(error, answer.get("error").asText());
        assertEquals(List.of(), published(REFUSED));
        return answer;
    }

    private static List<String> details(JsonNode answer) {
        List<String> details = new ArrayList<>();
        answer.get("details").forEach(d -> details.add(d.get("field").asText() + ": " + d.get("reason").asText()));
        return details;
    }

    @Test
    void anAcceptedActionIsOnTheTopicKeyedByItsIncidentAtItsTime() throws Exception {
        String incident = "bbs.example.edu/t/42";
        Action expected = Action.of(incident, Action.Kind.RESPONDED, "张老师", "已在论坛置顶回复", Instant.parse("2024-05-01T09:00:00Z"));

        HttpResponse<String> response = post("/incidents/bbs.example.edu%2Ft%2F42/actions",
                "{\"kind\":\"responded\",\"by\":\"张老师\",\"note\":\"已在论坛置顶回复\",\"at\":\"2024-05-01T17:00:00+08:00\"}");

        assertEquals(202, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(expected.id(), answer.get("id").asText());
        assertEquals(incident, answer.get("incidentId").asText());
        assertEquals("responded", answer.get("kind").asText());
        assertEquals("2024-05-01T09:00:00Z", answer.get("at").asText());
        assertEquals(Actions.fulfils(Action.Kind.RESPONDED), answer.get("fulfils").asText());
        List<ConsumerRecord<String, Action>> records = published(incident);
        assertEquals(1, records.size());
        assertEquals(expected, records.get(0).value());
        assertEquals(expected.at().toEpochMilli(), records.get(0).timestamp());
    }

    @Test
    void withoutAtTheActionIsDatedNow() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> response = post("/incidents/now/actions", "{\"kind\":\"Acknowledged\",\"by\":\" 王主任 \"}");
        Instant after = Instant.now();

        assertEquals(202, response.statusCode(), response.body());
        ConsumerRecord<String, Action> record = published("now").get(0);
        Action action = record.value();
        assertEquals(Action.Kind.ACKNOWLEDGED, action.kind());
        assertEquals("王主任", action.by(), "the name as written, without the spaces around it");
        assertEquals("", action.note());
        assertFalse(action.at().isBefore(before) || action.at().isAfter(after), action.at().toString());
        assertEquals(action.at(), Instant.ofEpochMilli(record.timestamp()), "to the millisecond, as the record's timestamp");
        assertEquals(action.id(), json(response).get("id").asText());
    }

    /** As at the classifier's GET /incidents/{id}: percent-encoded, slashes may stay, and a plus is a plus. */
    @Test
    void theIncidentIdIsTheDecodedPath() throws Exception {
        HttpResponse<String> response = post("/incidents/weibo-ced:a+b/c%20d/actions", "{\"kind\":\"reviewed\",\"by\":\"office\"}");

        assertEquals(202, response.statusCode(), response.body());
        assertEquals("weibo-ced:a+b/c d", json(response).get("incidentId").asText());
        assertEquals(1, published("weibo-ced:a+b/c d").size());
    }

    @Test
    void aMissingTokenIs401AndAWrongOneIs403() throws Exception {
        String body = "{\"kind\":\"resolved\",\"by\":\"x\"}";
        HttpResponse<String> missing = send(request("/incidents/refused/actions").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)).build());
        assertRefused(missing, 401, "missing bearer token: send Authorization: Bearer <token>");
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElseThrow());

        HttpResponse<String> wrong = send(request("/incidents/refused/actions").header("Authorization", "Bearer " + TOKEN + "x")
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build());
        assertRefused(wrong, 403, "wrong bearer token");
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> response = send(request("/incidents/refused/actions").header("Authorization", "Bearer " + TOKEN).GET().build());

        assertRefused(response, 405, "method GET not allowed: use POST");
        assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void otherPathsAre404() throws Exception {
        for (String path : List.of("/incidents/refused", "/incidents//actions", "/actions", "/incidents/refused/actions/x", "/")) {
            assertRefused(post(path, "{\"kind\":\"resolved\",\"by\":\"x\"}"), 404,
                    "no such path: actions are recorded with POST /incidents/{id}/actions");
        }
    }

    @Test
    void aBodyOver64KiBIs413() throws Exception {
        String body = "{\"kind\":\"resolved\",\"by\":\"x\",\"note\":\"" + "x".repeat(64 * 1024) + "\"}";

        assertRefused(post("/incidents/refused/actions", body), 413,
                "body of " + body.length() + " bytes is over the limit of 65536 bytes");
    }

    @Test
    void anotherMediaTypeIs415() throws Exception {
        HttpResponse<String> response = send(request("/incidents/refused/actions").header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("{\"kind\":\"resolved\",\"by\":\"x\"}")).build());

        assertRefused(response, 415, "Content-Type text/plain: send application/json");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertRefused(post("/incidents/refused/actions", "{\"kind\":\"resolved\","), 400,
                "malformed JSON: Unexpected end-of-input within/between Object entries (line 1, column 20)");
        assertRefused(post("/incidents/refused/actions", "[]"), 400,
                "expected a JSON object such as {\"kind\": \"responded\", \"by\": \"张老师\"}, not a JSON array");
    }

    /** Every fault at once, so the client fixes them all in one go. */
    @Test
    void everyInvalidFieldIsNamedIn400() throws Exception {
        JsonNode answer = assertRefused(post("/incidents/refused/actions",
                "{\"kind\":\"done\",\"colour\":\"red\",\"note\":3,\"at\":\"yesterday\"}"), 400, "invalid action, nothing recorded");

        assertEquals(List.of(
                "colour: unknown field: the fields are kind, by, note and at",
                "kind: unknown kind \"done\": one of acknowledged, forwarded, responded, resolved, reviewed",
                "by: required: the name of who acted",
                "note: must be a string, not a JSON number",
                "at: \"yesterday\" is not an ISO-8601 instant such as 2024-05-01T09:00:00Z or 2024-05-01T17:00:00+08:00"),
                details(answer));
    }

    @Test
    void anEmptyByOrAFutureTimeIs400() throws Exception {
        Instant future = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode answer = assertRefused(post("/incidents/refused/actions",
                "{\"kind\":\"responded\",\"by\":\" \",\"at\":\"" + future + "\"}"), 400, "invalid action, nothing recorded");

        assertEquals(List.of("by: required: the name of who acted",
                "at: " + future + " is in the future: record an action once it is done"), details(answer));
    }

    /** The cluster not answering: the client hears so in bounded time, and how to resend without a duplicate. */
    @Test
    void anUnreachableClusterIs503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OpinionWatchConfig unreachable = config("127.0.0.1:" + closedPort);
        try (ActionPublisher failing = new ActionPublisher(unreachable, Duration.ofSeconds(1));
             ActionsEndpoint down = ActionsEndpoint.start(unreachable, failing)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + down.port() + "/incidents/x/actions"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"kind\":\"resolved\",\"by\":\"x\",\"at\":\"2024-05-01T09:00:00Z\"}")).build(),
                    BodyHandlers.ofString());

            assertEquals(503, response.statusCode(), response.body());
            String error = json(response).get("error").asText();
            assertTrue(error.startsWith("the action could not be recorded, send it again later with \"at\": \"2024-05-01T09:00:00Z\""
                    + " so that it counts once: the action was not recorded on " + unreachable.topicNames().actions().name()
                    + " at 127.0.0.1:" + closedPort + " within 1 s: "), error);
        }
    }
}
