package org.opinionwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.opinionwatch.contract.crypto.HmacSha256;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.notifier.render.Markdown;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * A DingTalk (钉钉) custom robot with signing (加签): {@code POST <url>?access_token=<token>&timestamp=<ms>&sign=<sign>},
 * the sign being the HMAC-SHA256, keyed with the secret ({@code SEC...}), of {@code timestamp + "\n" + secret}, in
 * Base64, URL-encoded; the timestamp in milliseconds within an hour of DingTalk's clock. The body is
 * {@code {"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atMobiles": [...]}}} (markdown rather than an
 * actionCard: an actionCard cannot @ the people on duty), 20000 bytes at most; 20 messages a minute per robot, beyond
 * which DingTalk refuses the robot for ten minutes. errcode 0 is taken; 130101 and 410100 (too fast) are retried
 * after ten minutes; 310000 with an invalid timestamp (a clock off) and -1 (busy) are retried; every other code
 * (310000 sign not match, 300001 no such token, 460101 too long) refuses the message.
 */
record DingTalkRobot(String url, String token, String secret) implements Robot {
    static final String URL = "https://oapi.dingtalk.com/robot/send";
    static final int MAX_BODY_BYTES = 20_000;

    @Override
    public String type() {
        return "dingtalk";
    }

    @Override
    public String defaultUrl() {
        return URL;
    }

    @Override
    public int perMinute() {
        return 20;
    }

    @Override
    public String shown() {
        return url;
    }

    /** DingTalk's signature of a timestamp, before URL-encoding. */
    static String sign(String secret, long timestampMillis) {
        return Base64.getEncoder().encodeToString(HmacSha256.of(secret.getBytes(StandardCharsets.UTF_8),
                (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Request request(Message message, long nowMillis) {
        URI target = URI.create(url + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&timestamp=" + nowMillis
                + "&sign=" + URLEncoder.encode(sign(secret, nowMillis), StandardCharsets.UTF_8));
        byte[] body = null;
        for (int budget = MAX_BODY_BYTES - 512; body == null || body.length > MAX_BODY_BYTES; budget -= Math.max(256, body.length - MAX_BODY_BYTES)) {
            ObjectNode json = Json.TOLERANT.createObjectNode().put("msgtype", "markdown");
            json.putObject("markdown").put("title", message.title()).put("text", Markdown.render(message, Markdown.Flavor.DINGTALK, budget, true));
            ArrayNode mobiles = json.putObject("at").put("isAtAll", false).putArray("atMobiles");
            for (Person p : message.audience().persons()) {
                if (p.mobile() != null && !p.mobile().isBlank()) {
                    mobiles.add(p.mobile().strip());
                }
            }
            body = RobotChannel.bytes(json);
        }
        return new Request(target, body);
    }

    @Override
    public Attempt judge(int status, JsonNode answer, Duration latency) {
        if (!answer.has("errcode")) {
            return null;
        }
        int code = answer.path("errcode").asInt();
        String said = answer.path("errmsg").asText("");
        if (code == 0) {
            return Robot.taken(status, latency);
        }
        if (code == 130101 || code == 410100) {
            return Robot.again(status, "too-fast", Integer.toString(code), said, Duration.ofMinutes(10), latency);
        }
        if (code == -1 || code == 310000 && said.contains("timestamp")) {
            return Robot.again(status, "busy", Integer.toString(code), said, null, latency);
        }
        return Robot.refused(status, Integer.toString(code), said, latency);
    }

    /** Without the credentials: a record's own would print them. */
    @Override
    public String toString() {
        return type() + " " + url;
    }
}
