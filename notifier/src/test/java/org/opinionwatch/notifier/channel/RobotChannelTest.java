package org.opinionwatch.notifier.channel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.notifier.Fixtures;
import org.opinionwatch.notifier.fake.ChatServices;
import org.opinionwatch.notifier.fake.ChatServices.Received;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;
import org.opinionwatch.notifier.webhook.WebhookClient;

/**
 * Each chat robot against a loopback fake that checks requests as the service documents it: signed as it signs, shaped
 * as it reads them, within its size and rate limits; and refused, as the service refuses, when they are not.
 */
class RobotChannelTest {
    private static final String KEY = "wecom-key-0001";
    private static final String TOKEN = "ding-token-0001";
    private static final String DING_SECRET = "SEC0123456789abcdef";
    private static final String HOOK = "feishu-hook-0001";
    private static final String FEISHU_SECRET = "feishu-secret-0123";

    private final ChatServices services = new ChatServices().wecom(KEY).dingtalk(TOKEN, DING_SECRET).feishu(HOOK, FEISHU_SECRET);
    private final WebhookClient client = new WebhookClient(Duration.ofSeconds(5), Clock.systemUTC());

    RobotChannelTest() throws IOException {
    }

    @AfterEach
    void close() {
        client.close();
        services.close();
    }

    private RobotChannel wecom(String key) {
        return new RobotChannel("officeWecom", new WeComRobot(services.url("wecom"), key), client, Pace.none(), Clock.systemUTC());
    }

    private RobotChannel dingtalk(String secret, Clock clock) {
        return new RobotChannel("officeDing", new DingTalkRobot(services.url("dingtalk"), TOKEN, secret), client, Pace.none(), clock);
    }

    private RobotChannel feishu(String secret, Clock clock) {
        return new RobotChannel("officeFeishu", new FeishuRobot(services.url("feishu"), HOOK, secret), client, Pace.none(), clock);
    }

    private static Message message() {
        return Fixtures.withLinks(Fixtures.triage("n-1"), Fixtures.ZHANG);
    }

    /** A notification whose report is far longer than any robot takes. */
    private static Message longReport() {
        Notification n = Fixtures.triage("n-long");
        Notification big = new Notification(n.id(), n.kind(), n.incidentId(), n.incidentIds(), n.subject(), n.level(), n.role(), n.duties(),
                n.deadlines(), n.instructions(), n.at(), n.due(), n.deliverAt(), n.rootPost(), n.metrics(), "# 总结评估\n\n" + "时间线：舆情持续发酵。\n".repeat(2000));
        return Fixtures.withLinks(big, Fixtures.ZHANG);
    }

    private static void assertNamesTheStory(String text) {
        assertTrue(text.contains(Fixtures.TITLE) && text.contains(Fixtures.URL), "title and link in:\n" + text);
        assertTrue(text.contains("浏览 320 · 评论 41 · 主流媒体 0 家") && text.contains("最早时限：5月1日 19:00"), text);
        assertTrue(text.contains("请 张老师 处理"), text);
        assertTrue(text.contains("已转交") && text.contains("https://ow.example.edu/links/abc.def") && text.contains("不相关"), text);
        assertTrue(text.contains("研判并转交责任部门"), "the plan's own text: " + text);
    }

    @Test
    void weComTakesAMarkdownMessageWithTheStoryTheMentionAndTheLinks() throws InterruptedException {
        Attempt attempt = wecom(KEY).send(message());
        assertEquals(Attempt.Kind.DELIVERED, attempt.kind(), attempt.reason());
        Received r = services.taken("wecom", KEY).get(0);
        assertNamesTheStory(r.text());
        assertTrue(r.text().startsWith("### 【一般舆情】「" + Fixtures.TITLE + "」"), r.text());
        assertTrue(r.text().contains("<@zhangsan>"), "WeCom mentions by userid: " + r.text());
        assertTrue(r.text().contains("[已转交](https://ow.example.edu/links/abc.def)"), r.text());
    }

    @Test
    void weComRefusesAWrongKeyAnOversizeContentAndTheTwentyFirstMessageOfAMinute() throws InterruptedException {
        Attempt wrongKey = wecom("stolen").send(message());
        assertEquals(Attempt.Kind.REFUSED, wrongKey.kind());
        assertTrue(wrongKey.reason().startsWith("code 93000: invalid webhook url"), wrongKey.reason());

        Attempt cut = wecom(KEY).send(longReport());
        assertEquals(Attempt.Kind.DELIVERED, cut.kind(), "a long report is cut to WeCom's 4096 bytes: " + cut.reason());
        String text = services.taken("wecom", KEY).get(0).text();
        assertTrue(text.getBytes(UTF_8).length <= 4096 && text.getBytes(UTF_8).length > 3500, "as much as fits: " + text.getBytes(UTF_8).length);
        assertTrue(text.endsWith("完整内容见 Opinion Watch 的 notifications 主题）"), "it says it was cut");
        assertNamesTheStory(text);

        String oversize = "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"" + "舆".repeat(1366) + "\"}}";
        WebhookClient.Reply refused = client.post(URI.create(services.url("wecom") + "?key=" + KEY), Map.of(), oversize.getBytes(UTF_8), 2048);
        assertTrue(refused.body().contains("\"errcode\":40058"), "4098 bytes are refused as WeCom refuses them: " + refused.body());

        for (int i = 2; i <= 20; i++) {
            assertEquals(Attempt.Kind.DELIVERED, wecom(KEY).send(message()).kind(), "message " + i + " of the minute");
        }
        Attempt tooFast = wecom(KEY).send(message());
        assertEquals(Attempt.Kind.FAILED, tooFast.kind(), "the 21st of a minute is retried, not given up");
        assertEquals("too-fast", tooFast.result());
        assertEquals(Duration.ofMinutes(1), tooFast.retryAfter());
    }

    @Test
    void dingTalkTakesASignedMarkdownMessageThatMentionsTheOneOnDuty() throws InterruptedException {
        Attempt attempt = dingtalk(DING_SECRET, Clock.systemUTC()).send(message());
        assertEquals(Attempt.Kind.DELIVERED, attempt.kind(), attempt.reason());
        Received r = services.taken("dingtalk", TOKEN).get(0);
        assertNamesTheStory(r.text());
        assertTrue(r.text().contains("@13800000001"), r.text());
        assertEquals(List.of("13800000001"), List.of(r.body().path("at").path("atMobiles").get(0).asText()));
        assertTrue(r.body().path("markdown").path("title").asText().startsWith("【一般舆情】"), r.body().toString());
    }

    @Test
    void dingTalkRefusesAWrongSecretAStaleTimestampAndAnOversizeBody() throws InterruptedException {
        Attempt wrong = dingtalk("SECwrong", Clock.systemUTC()).send(message());
        assertEquals(Attempt.Kind.REFUSED, wrong.kind());
        assertTrue(wrong.reason().startsWith("code 310000: sign not match"), wrong.reason());

        Clock twoHoursBehind = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        Attempt stale = dingtalk(DING_SECRET, twoHoursBehind).send(message());
        assertEquals(Attempt.Kind.FAILED, stale.kind(), "a clock off is retried with a new timestamp: " + stale.reason());
        assertTrue(stale.reason().contains("invalid timestamp"), stale.reason());

        assertEquals(Attempt.Kind.DELIVERED, dingtalk(DING_SECRET, Clock.systemUTC()).send(longReport()).kind(), "cut to fit 20000 bytes");
        Received cut = services.taken("dingtalk", TOKEN).get(0);
        assertTrue(cut.bytes() <= 20_000 && cut.bytes() > 18_000, "as much as fits: " + cut.bytes());
        assertNamesTheStory(cut.text());

        long now = System.currentTimeMillis();
        String sign = java.net.URLEncoder.encode(DingTalkRobot.sign(DING_SECRET, now), UTF_8);
        String oversize = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"" + "x".repeat(20_000) + "\"}}";
        WebhookClient.Reply refused = client.post(URI.create(services.url("dingtalk") + "?access_token=" + TOKEN + "&timestamp=" + now + "&sign=" + sign),
                Map.of(), oversize.getBytes(UTF_8), 2048);
        assertTrue(refused.body().contains("\"errcode\":460101"), refused.body());
    }

    @Test
    void feishuTakesASignedCardWithTheLinksAsButtons() throws InterruptedException {
        Attempt attempt = feishu(FEISHU_SECRET, Clock.systemUTC()).send(message());
        assertEquals(Attempt.Kind.DELIVERED, attempt.kind(), attempt.reason());
        Received r = services.taken("feishu", HOOK).get(0);
        assertNamesTheStory(r.text());
        assertTrue(r.text().contains("<at email=zhang@example.edu></at>"), r.text());
        assertEquals("yellow", r.body().path("card").path("header").path("template").asText(), "GENERAL is yellow");
        assertTrue(r.text().contains("[已转交](https://ow.example.edu/links/abc.def)"), "a button that opens the link: " + r.text());
    }

    @Test
    void feishuRefusesAWrongSecretAStaleTimestampAnOversizeBodyAndTooManyASecond() throws InterruptedException {
        Attempt wrong = feishu("another-secret", Clock.systemUTC()).send(message());
        assertEquals(Attempt.Kind.REFUSED, wrong.kind());
        assertTrue(wrong.reason().startsWith("code 19021: sign match fail"), wrong.reason());
        Attempt stale = feishu(FEISHU_SECRET, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC)).send(message());
        assertEquals(Attempt.Kind.REFUSED, stale.kind(), stale.reason());

        assertEquals(Attempt.Kind.DELIVERED, feishu(FEISHU_SECRET, Clock.systemUTC()).send(longReport()).kind(), "cut to fit 20 KB");
        Received cut = services.taken("feishu", HOOK).get(0);
        assertTrue(cut.bytes() <= 20_000 && cut.bytes() > 18_000, "as much as fits: " + cut.bytes());

        String oversize = "{\"msg_type\":\"interactive\",\"card\":{\"x\":\"" + "x".repeat(21_000) + "\"}}";
        WebhookClient.Reply refused = client.post(URI.create(services.url("feishu") + "/" + HOOK), Map.of(), oversize.getBytes(UTF_8), 2048);
        assertEquals(400, refused.attempt().status());
        assertTrue(refused.body().contains("\"code\":9499"), refused.body());

        for (int i = 2; i <= 5; i++) {
            feishu(FEISHU_SECRET, Clock.systemUTC()).send(message());
        }
        Attempt sixth = feishu(FEISHU_SECRET, Clock.systemUTC()).send(message());
        // Six in one second unless the machine is very slow: then the fake's window has moved on and it is taken.
        if (sixth.kind() != Attempt.Kind.DELIVERED) {
            assertEquals("too-fast", sixth.result());
            assertEquals(Attempt.Kind.FAILED, sixth.kind());
        }
    }

    @Test
    void aPacedChannelWaitsRatherThanBeRefused() throws InterruptedException {
        services.wecom("paced", 3);
        RobotChannel paced = new RobotChannel("paced", new WeComRobot(services.url("wecom"), "paced"), client, new Pace(3, 0), Clock.systemUTC());
        Sender sender = new Sender(new org.opinionwatch.notifier.webhook.Backoff(Duration.ofMillis(10), Duration.ofMillis(50)), Clock.systemUTC(), () -> 0.5);
        for (int i = 0; i < 3; i++) {
            assertTrue(sender.deliver(paced, message(), new java.util.concurrent.CountDownLatch(1), a -> { }).orElseThrow().delivered());
        }
        java.util.concurrent.CountDownLatch cancel = new java.util.concurrent.CountDownLatch(1);
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancel.countDown();
        }).start();
        assertTrue(sender.deliver(paced, message(), cancel, a -> { }).isEmpty(), "the fourth of the minute waits its turn");
        assertEquals(3, services.received().stream().filter(r -> r.robot().equals("paced")).count(), "and is not sent to be refused");
    }
}
