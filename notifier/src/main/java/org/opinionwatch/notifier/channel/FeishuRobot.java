package org.opinionwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.opinionwatch.contract.crypto.HmacSha256;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.notifier.render.Markdown;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * A Feishu (飞书) custom bot with signature verification (签名校验): {@code POST <url>/<hook id>} with
 * {@code {"timestamp": "<seconds>", "sign": ..., "msg_type": "interactive", "card": {...}}}, the sign being the
 * HMAC-SHA256 keyed with {@code timestamp + "\n" + secret} of an empty message, in Base64; the timestamp within an
 * hour of Feishu's clock. The card has the title as its header, the text as {@code lark_md} and the action links as
 * buttons; the body is 20 KB at most; 100 messages a minute (and 5 a second) per bot. code 0 is taken; 11232 (too
 * fast) is retried after a minute; every other code (19021 the signature or timestamp, 19024 a keyword missing, 19022
 * an address not allowed, 9499 a bad request or a body too large) refuses the message.
 */
record FeishuRobot(String url, String hook, String secret) implements Robot {
    static final String URL = "https://open.feishu.cn/open-apis/bot/v2/hook";
    static final int MAX_BODY_BYTES = 20_000;

    @Override
    public String type() {
        return "feishu";
    }

    @Override
    public String defaultUrl() {
        return URL;
    }

    @Override
    public int perMinute() {
        return 100;
    }

    @Override
    public int perSecond() {
        return 5;
    }

    @Override
    public String shown() {
        return url;
    }

    /** Feishu's signature of a timestamp in seconds. */
    static String sign(String secret, long timestampSeconds) {
        // Feishu keys the MAC with the string to sign and signs nothing, as its documentation's code does.
        return Base64.getEncoder().encodeToString(HmacSha256.of((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Request request(Message message, long nowMillis) {
        long seconds = nowMillis / 1000;
        byte[] body = null;
        for (int budget = MAX_BODY_BYTES - 1024; body == null || body.length > MAX_BODY_BYTES; budget -= Math.max(256, body.length - MAX_BODY_BYTES)) {
            ObjectNode json = Json.TOLERANT.createObjectNode().put("timestamp", Long.toString(seconds)).put("sign", sign(secret, seconds))
                    .put("msg_type", "interactive");
            ObjectNode card = json.putObject("card");
            card.putObject("config").put("wide_screen_mode", true);
            ObjectNode header = card.putObject("header");
            header.putObject("title").put("tag", "plain_text").put("content", message.title());
            header.put("template", template(message.notification().level()));
            ArrayNode elements = card.putArray("elements");
            elements.addObject().put("tag", "div").putObject("text").put("tag", "lark_md")
                    .put("content", Markdown.render(message, Markdown.Flavor.FEISHU, budget, false));
            if (!message.links().isEmpty()) {
                elements.addObject().put("tag", "div").putObject("text").put("tag", "plain_text").put("content", message.actionsIntro());
                ArrayNode actions = elements.addObject().put("tag", "action").putArray("actions");
                for (Message.Link link : message.links()) {
                    actions.addObject().put("tag", "button").put("type", link.action().equals("dismiss") ? "default" : "primary")
                            .put("url", link.url()).putObject("text").put("tag", "plain_text").put("content", link.label());
                }
            }
            body = RobotChannel.bytes(json);
        }
        return new Request(URI.create(url + "/" + hook), body);
    }

    /** The header's colour by the level: the plan's urgency at a glance. */
    private static String template(Level level) {
        if (level == null) {
            return "blue";
        }
        return switch (level) {
            case CRITICAL -> "red";
            case MAJOR -> "orange";
            case GENERAL -> "yellow";
            default -> "blue";
        };
    }

    @Override
    public Attempt judge(int status, JsonNode answer, Duration latency) {
        JsonNode code = answer.has("code") ? answer.get("code") : answer.get("StatusCode");
        if (code == null) {
            return null;
        }
        String said = answer.path("msg").asText(answer.path("StatusMessage").asText(""));
        if (code.asInt() == 0) {
            return Robot.taken(status, latency);
        }
        if (code.asInt() == 11232) {
            return Robot.again(status, "too-fast", code.asText(), said, Duration.ofMinutes(1), latency);
        }
        return Robot.refused(status, code.asText(), said, latency);
    }

    /** Without the credentials: a record's own would print them. */
    @Override
    public String toString() {
        return type() + " " + url;
    }
}
