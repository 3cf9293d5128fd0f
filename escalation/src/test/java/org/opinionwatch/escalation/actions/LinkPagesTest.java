package org.opinionwatch.escalation.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.escalation.actions.ActionsStage.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.link.ActionLink;

/**
 * The action links end to end: the escalation stage on a real broker with a MAJOR incident's case, its actions
 * endpoint serving the links' pages, and the {@code actions} topic they record on.
 */
class LinkPagesTest {
    private static final String SECRET = "links-secret-for-tests-0123456789";
    private static final String INCIDENT = "bbs.example.edu/t/77";
    private static final String OTHER = "bbs.example.edu/t/78";
    private static final Instant AT = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    private static OpinionWatchConfig config;
    private static ActionsStage stage;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        config = ConfigLoader.load(null, Map.of(
                "OW_TOPICS_PREFIX", "link-pages-" + System.nanoTime() + ".",
                "OW_ESCALATION_ACTIONS_ENABLED", "true",
                "OW_ESCALATION_ACTIONS_PORT", "0",
                "OW_ESCALATION_ACTIONS_TOKEN", "actions-token-for-tests",
                "OW_ESCALATION_ACTIONS_LINKS_SECRET", SECRET)).withBootstrapServers(EmbeddedKafka.shared().bootstrapServers()).inNamespace("");
        stage = ActionsStage.start(config, AT, "canteen", new PostRef(INCIDENT, "https://bbs.example.edu/t/77", "食堂饭菜里有异物"),
                new PostRef(OTHER, "https://bbs.example.edu/t/78", "食堂饭菜里有异物"));
    }

    @AfterAll
    static void stop() {
        stage.close();
    }

    private static List<Action> published(String incident) {
        return stage.published(incident).stream().map(ConsumerRecord::value).toList();
    }

    private static ActionLink link(String incident, String action, String lang, Instant expires) {
        return ActionLink.of("notification-" + incident + "-" + action, incident, action, Role.LEADERSHIP_GROUP, "王主任", lang, expires);
    }

    private URI uri(String token) {
        return URI.create("http://127.0.0.1:" + stage.port() + ActionLink.PATH + token);
    }

    private HttpResponse<String> get(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(token)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String token, String by, String note) throws Exception {
        String form = "by=" + URLEncoder.encode(by, StandardCharsets.UTF_8) + "&note=" + URLEncoder.encode(note, StandardCharsets.UTF_8);
        return client.send(HttpRequest.newBuilder(uri(token)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertPage(HttpResponse<String> response, int status, String... says) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElseThrow());
        assertTrue(response.body().startsWith("<!DOCTYPE html>"), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), "no stack trace: " + response.body());
        for (String said : says) {
            assertTrue(response.body().contains(said), said + " in:\n" + response.body());
        }
    }

    @Test
    void aLinkShowsWhatItDoesRecordsItOnceWhenConfirmedAndIsRefusedAfterEvenByAFreshEndpoint() throws Exception {
        ActionLink link = link(INCIDENT, "convene-emergency-meeting", "zh-CN", Instant.now().plus(Duration.ofDays(3)));
        String token = link.token(SECRET);

        // Opened: what a chat preview or a mail scanner does. Nothing is recorded.
        assertPage(get(token), 200, "确认办理结果", "召开应急会议", "食堂饭菜里有异物", "name=\"by\"", "value=\"王主任\"", "<form method=\"post\">");
        assertPage(get(token), 200, "确认办理结果");
        assertEquals(List.of(), published(INCIDENT));

        assertPage(post(token, "", "已召开"), 400, "请填写办理人");
        assertEquals(List.of(), published(INCIDENT));

        assertPage(post(token, "王主任", "下午三点已召开"), 200, "已记录", "召开应急会议", "王主任");
        List<Action> actions = published(INCIDENT);
        assertEquals(1, actions.size(), actions.toString());
        Action recorded = actions.get(0);
        assertEquals(link.actionId(), recorded.id(), "the link's own id: it counts once however often it comes");
        assertEquals(Action.Kind.DONE, recorded.kind());
        assertEquals("convene-emergency-meeting", recorded.duty());
        assertEquals("王主任", recorded.by());
        assertEquals("下午三点已召开", recorded.note());
        assertTrue(Duration.between(recorded.at(), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, "when: now");

        assertPage(post(token, "李老师", ""), 409, "此链接已经使用过");
        assertPage(get(token), 409, "此链接已经使用过");
        assertEquals(1, published(INCIDENT).size(), "used twice, recorded once");

        await(() -> stage.caseOf(INCIDENT).map(c -> c.actions().contains(link.actionId())).orElse(false), "the stage applied it");
        // A fresh endpoint, as after a restart, knows nothing of what it published: the case does.
        try (ActionPublisher second = new ActionPublisher(config, ActionPublisher.TIMEOUT)) {
            ActionsEndpoint fresh = ActionsEndpoint.start(config, second, stage.cases());
            try {
                HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fresh.port() + ActionLink.PATH + token))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertPage(again, 409, "此链接已经使用过", "王主任");
            } finally {
                fresh.close();
            }
        }
        assertEquals(1, published(INCIDENT).size());
    }

    @Test
    void expiredTamperedAndMalformedLinksAreRefusedWithAClearPageAndNothingIsRecorded() throws Exception {
        ActionLink expired = link(OTHER, "report-to-leadership", "zh-CN", Instant.now().minusSeconds(60));
        assertPage(get(expired.token(SECRET)), 410, "此链接已于", "过期");
        assertPage(post(expired.token(SECRET), "王主任", ""), 410, "过期");

        String foreign = link(OTHER, "report-to-leadership", "zh-CN", Instant.now().plus(Duration.ofDays(1))).token("another-secret-of-32-characters-x");
        assertPage(get(foreign), 403, "此链接无效：它已被改动");
        assertPage(post(foreign, "王主任", ""), 403, "已被改动");
        assertPage(get("not-a-token"), 400, "此链接不完整或无效");

        ActionLink english = link(OTHER, "report-to-leadership", "en", Instant.now().minusSeconds(1));
        assertPage(get(english.token(SECRET)), 410, "This link expired at");
        assertEquals(List.of(), published(OTHER));
    }

    @Test
    void notRelevantNeedsAReasonAndADoneDutyIsSaidToBeDone() throws Exception {
        ActionLink dismiss = link(OTHER, ActionLink.DISMISS, "zh-CN", Instant.now().plus(Duration.ofDays(1)));
        assertPage(get(dismiss.token(SECRET)), 200, "不相关", "理由（必填）");
        assertPage(post(dismiss.token(SECRET), "王主任", ""), 400, "判定不相关时请填写理由");
        assertEquals(List.of(), published(OTHER).stream().filter(a -> a.kind() == Action.Kind.DISMISS).toList());

        ActionLink unknown = link("bbs.example.edu/t/none", "respond", "zh-CN", Instant.now().plus(Duration.ofDays(1)));
        assertPage(get(unknown.token(SECRET)), 404, "系统中没有这起舆情");

        ActionLink notOpen = link(OTHER, "triage-and-forward", "zh-CN", Instant.now().plus(Duration.ofDays(1)));
        assertPage(get(notOpen.token(SECRET)), 409, "此事项当前无需办理");
    }
}
