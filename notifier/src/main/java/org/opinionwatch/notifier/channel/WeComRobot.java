package org.opinionwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.notifier.render.Markdown;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * A WeCom (企业微信) group robot: {@code POST <url>?key=<key>} with {@code {"msgtype": "markdown", "markdown":
 * {"content": ...}}}, the content at most 4096 bytes of UTF-8; at most 20 messages a minute per robot. The answer is
 * {@code {"errcode": 0, "errmsg": "ok"}} when taken; errcode 45009 means too many (retried after a minute), -1 that
 * the service is busy (retried); any other (93000 an invalid key, 40058 a content too long) refuses the message.
 */
record WeComRobot(String url, String key) implements Robot {
    static final String URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
    static final int MAX_CONTENT_BYTES = 4096;
    static final int TOO_FAST = 45009;

    @Override
    public String type() {
        return "wecom";
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

    @Override
    public Request request(Message message, long nowMillis) {
        ObjectNode body = Json.TOLERANT.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("content", Markdown.render(message, Markdown.Flavor.WECOM, MAX_CONTENT_BYTES, true));
        return new Request(URI.create(url + "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)), RobotChannel.bytes(body));
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
        if (code == TOO_FAST) {
            return Robot.again(status, "too-fast", Integer.toString(code), said, Duration.ofMinutes(1), latency);
        }
        if (code == -1) {
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
