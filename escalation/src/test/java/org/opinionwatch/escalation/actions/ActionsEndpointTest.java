package org.opinionwatch.escalation.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.escalation.actions.ActionsStage.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.LoopbackPorts;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.escalation.plan.Case;

/**
 * The actions endpoint on loopback, beside a running escalation stage whose cases it checks actions against, publishing
 * to the {@code actions} topic of a real broker.
 */
class ActionsEndpointTest {
    private static final String TOKEN = "actions-token-for-tests";
    /** A MAJOR incident the stage has a case of. */
    private static final String INCIDENT = "bbs.example.edu/t/42";
    private static final String PATH = "/incidents/bbs.example.edu%2Ft%2F42/actions";
    /** Every refused request names this incident or none: none of their actions may reach the topic. */
    private static final String REFUSED = "refused";
    private static final Instant AT = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    private static OpinionWatchConfig config;
    private static ActionsStage stage;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        config = config(EmbeddedKafka.shared().bootstrapServers());
        stage = ActionsStage.start(config, AT, "dormitory", new PostRef(INCIDENT, "https://bbs.example.edu/t/42", "宿舍停水三天"));
    }

    @AfterAll
    static void stop() {
        stage.close();
    }

    /** The defaults with the endpoint enabled on a free loopback port, in a topic namespace of this test's own. */
    private static OpinionWatchConfig config(String bootstrap) {
        return ConfigLoader.load(null, Map.of(
                "OW_TOPICS_PREFIX", "actions-endpoint-" + System.nanoTime() + ".",
                "OW_ESCALATION_ACTIONS_ENABLED", "true",
                "OW_ESCALATION_ACTIONS_HOST", "127.0.0.1",
                "OW_ESCALATION_ACTIONS_PORT", "0",
                "OW_ESCALATION_ACTIONS_TOKEN", TOKEN)).withBootstrapServers(bootstrap).inNamespace("");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stage.port() + path)).timeout(Duration.ofSeconds(20));
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

    /** Asserts the status and error, and that nothing was published about the refused incident. */
    private static JsonNode assertRefused(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(error, answer.get("error").asText());
        assertEquals(List.of(), stage.published(REFUSED));
        return answer;
    }

    private static List<String> details(JsonNode answer) {
        List<String> details = new ArrayList<>();
        answer.get("details").forEach(d -> details.add(d.get("field").asText() + ": " + d.get("reason").asText()));
        return details;
    }

    @Test
    void anActionClosingAnOpenDutyIsOnTheTopicKeyedByItsIncidentAtItsTime() throws Exception {
        Instant at = AT.plus(Duration.ofMinutes(5));
        Action expected = Action.done(INCIDENT, "convene-emergency-meeting", "王主任", "已召开", at);

        HttpResponse<String> response = post(PATH, "{\"duty\":\"convene-emergency-meeting\",\"by\":\"王主任\",\"note\":\"已召开\",\"at\":\"" + at + "\"}");

        assertEquals(202, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(expected.id(), answer.get("id").asText());
        assertEquals(INCIDENT, answer.get("incidentId").asText());
        assertEquals("done", answer.get("kind").asText());
        assertEquals("closes convene-emergency-meeting", answer.get("effect").asText());
        List<ConsumerRecord<String, Action>> records = stage.published(INCIDENT).stream().filter(r -> r.value().id().equals(expected.id())).toList();
        assertEquals(1, records.size());
        assertEquals(expected, records.get(0).value());
        assertEquals(at.toEpochMilli(), records.get(0).timestamp());

        // Once the stage has applied it, the duty is done: doing it again is a conflict that says who did it.
        await(() -> stage.caseOf(INCIDENT).orElseThrow().duties().stream().anyMatch(d -> d.duty().equals("convene-emergency-meeting")
                && d.state() == Case.DutyState.State.DONE), "the stage applied the action");
        HttpResponse<String> again = post(PATH, "{\"duty\":\"convene-emergency-meeting\",\"by\":\"王主任\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(json(again).get("error").asText().startsWith("duty convene-emergency-meeting of incident " + INCIDENT + " was done by 王主任 at "),
                again.body());
    }

    @Test
    void anUnknownIncidentIs404AndNothingIsRecorded() throws Exception {
        assertRefused(post("/incidents/refused/actions", "{\"duty\":\"respond\",\"by\":\"x\"}"), 404,
                "no incident refused: the escalation stage has no case of it (check the id: the id of its first original post); nothing recorded");
    }

    @Test
    void aDutyThatIsNotOpenIs404WithTheOpenOnes() throws Exception {
        int before = stage.published(INCIDENT).size();
        HttpResponse<String> response = post(PATH, "{\"duty\":\"triage-and-forward\",\"by\":\"x\"}");
        assertEquals(404, response.statusCode(), response.body());
        String error = json(response).get("error").asText();
        assertTrue(error.startsWith("incident " + INCIDENT + " has no open duty triage-and-forward; its open duties: report-to-leadership, "), error);
        assertEquals(before, stage.published(INCIDENT).size(), "nothing recorded");
    }

    @Test
    void judgementNeedsAReasonAndIsRecorded() throws Exception {
        JsonNode answer = assertRefused(post("/incidents/refused/actions", "{\"kind\":\"dismiss\",\"by\":\"x\"}"), 400, "invalid action, nothing recorded");
        assertEquals(List.of("reason: required with dismiss: why, for the case's timeline"), details(answer));

        HttpResponse<String> set = post(PATH, "{\"kind\":\"set-level\",\"level\":\"critical\",\"by\":\"王主任\",\"reason\":\"涉及安全\"}");
        assertEquals(202, set.statusCode(), set.body());
        assertEquals("sets the level to CRITICAL until it is cleared", json(set).get("effect").asText());
        assertTrue(stage.published(INCIDENT).stream()
                .anyMatch(r -> r.value().kind() == Action.Kind.SET_LEVEL && r.value().level() == Level.CRITICAL));

        assertRefused(post(PATH.replace("bbs.example.edu%2Ft%2F42", REFUSED), "{\"kind\":\"merge\",\"into\":\"x\",\"by\":\"x\",\"reason\":\"r\"}"),
                404, "no incident refused: the escalation stage has no case of it (check the id: the id of its first original post); nothing recorded");
    }

    @Test
    void aSilenceGoesToEveryPartitionIsListedOnceAppliedAndRemovable() throws Exception {
        Instant until = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> set = post("/silences", "{\"subject\":\"dormitory\",\"until\":\"" + until + "\",\"by\":\"李老师\",\"reason\":\"停水检修，已知\"}");
        assertEquals(202, set.statusCode(), set.body());
        String id = json(set).get("silence").get("id").asText();
        assertEquals(config.kafka().partitions(), stage.published("silence:" + id).size(), "every task holds it");

        await(() -> {
            try {
                return json(send(request("/silences").header("Authorization", "Bearer " + TOKEN).GET().build())).size() == 1;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "the silence is listed");
        JsonNode listed = json(send(request("/silences").header("Authorization", "Bearer " + TOKEN).GET().build())).get(0);
        assertEquals(id, listed.get("id").asText());
        assertEquals("subject", listed.get("target").asText());
        assertEquals(until.toString(), listed.get("until").asText());

        HttpResponse<String> removed = send(request("/silences/" + id + "?by=%E6%9D%8E%E8%80%81%E5%B8%88").header("Authorization", "Bearer " + TOKEN)
                .DELETE().build());
        assertEquals(202, removed.statusCode(), removed.body());
        assertRefused(send(request("/silences/no-such?by=x").header("Authorization", "Bearer " + TOKEN).DELETE().build()), 404,
                "no silence no-such: nothing recorded");
    }

    @Test
    void withoutAtTheActionIsDatedNow() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> response = post(PATH, "{\"duty\":\"Report-To-Leadership\",\"by\":\" 王主任 \"}");
        Instant after = Instant.now();

        assertEquals(202, response.statusCode(), response.body());
        String id = json(response).get("id").asText();
        Action action = stage.published(INCIDENT).stream().map(ConsumerRecord::value).filter(a -> a.id().equals(id)).findFirst().orElseThrow();
        assertEquals("report-to-leadership", action.duty());
        assertEquals("王主任", action.by(), "the name as written, without the spaces around it");
        assertFalse(action.at().isBefore(before) || action.at().isAfter(after), action.at().toString());
    }

    @Test
    void aMissingTokenIs401AndAWrongOneIs403() throws Exception {
        String body = "{\"kind\":\"resolve\",\"by\":\"x\"}";
        HttpResponse<String> missing = send(request("/incidents/refused/actions").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)).build());
        assertRefused(missing, 401, "missing bearer token: send Authorization: Bearer <token>");
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElseThrow());

        HttpResponse<String> wrong = send(request("/incidents/refused/actions").header("Authorization", "Bearer " + TOKEN + "x")
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build());
        assertRefused(wrong, 403, "wrong bearer token");
        assertRefused(send(request("/silences").GET().build()), 401, "missing bearer token: send Authorization: Bearer <token>");
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
            assertRefused(post(path, "{\"kind\":\"resolve\",\"by\":\"x\"}"), 404,
                    "no such path: actions are recorded with POST /incidents/{id}/actions, silences with POST /silences");
        }
    }

    @Test
    void aBodyOver64KiBIs413() throws Exception {
        String body = "{\"kind\":\"resolve\",\"by\":\"x\",\"note\":\"" + "x".repeat(64 * 1024) + "\"}";

        assertRefused(post("/incidents/refused/actions", body), 413,
                "body of " + body.length() + " bytes is over the limit of 65536 bytes");
    }

    @Test
    void anotherMediaTypeIs415() throws Exception {
        HttpResponse<String> response = send(request("/incidents/refused/actions").header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("{\"kind\":\"resolve\",\"by\":\"x\"}")).build());

        assertRefused(response, 415, "Content-Type text/plain: send application/json");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertRefused(post("/incidents/refused/actions", "{\"kind\":\"resolve\","), 400,
                "malformed JSON: Unexpected end-of-input within/between Object entries (line 1, column 19)");
        assertRefused(post("/incidents/refused/actions", "[]"), 400,
                "expected a JSON object such as {\"duty\": \"respond\", \"by\": \"张老师\"}, not a JSON array");
    }

    /** Every fault at once, so the client fixes them all in one go. */
    @Test
    void everyInvalidFieldIsNamedIn400() throws Exception {
        JsonNode answer = assertRefused(post("/incidents/refused/actions",
                "{\"duty\":\"done\",\"colour\":\"red\",\"note\":3,\"at\":\"yesterday\"}"), 400, "invalid action, nothing recorded");

        assertEquals(List.of(
                "colour: unknown field: the fields are duty, kind, level, into, by, note, reason, at",
                "duty: unknown duty or action \"done\": " + Actions.choices(),
                "by: required: the name of who acted",
                "note: must be a string, not a JSON number",
                "at: \"yesterday\" is not an ISO-8601 instant such as 2024-05-01T09:00:00Z or 2024-05-01T17:00:00+08:00"),
                details(answer));
    }

    @Test
    void anEmptyByOrAFutureTimeIs400() throws Exception {
        Instant future = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode answer = assertRefused(post("/incidents/refused/actions",
                "{\"duty\":\"respond\",\"by\":\" \",\"at\":\"" + future + "\"}"), 400, "invalid action, nothing recorded");

        assertEquals(List.of("by: required: the name of who acted",
                "at: " + future + " is in the future: record an action once it is done"), details(answer));
    }

    /** The cluster not answering: the client hears so in bounded time, and how to resend without a duplicate. */
    @Test
    void anUnreachableClusterIs503() throws Exception {
        int closedPort = LoopbackPorts.free(); // nothing listens there
        OpinionWatchConfig unreachable = config("127.0.0.1:" + closedPort);
        try (ActionPublisher failing = new ActionPublisher(unreachable, Duration.ofSeconds(1));
             ActionsEndpoint down = ActionsEndpoint.start(unreachable, failing, stage.cases())) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + down.port() + PATH))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"kind\":\"resolve\",\"by\":\"x\",\"at\":\"2024-05-01T09:00:00Z\"}")).build(),
                    BodyHandlers.ofString());

            assertEquals(503, response.statusCode(), response.body());
            String error = json(response).get("error").asText();
            assertTrue(error.startsWith("the action could not be recorded, send it again later with \"at\": \"2024-05-01T09:00:00Z\""
                    + " so that it counts once: the action was not recorded on " + unreachable.topicNames().actions().name()
                    + " at 127.0.0.1:" + closedPort + " within 1 s: "), error);
        }
    }
}
