package org.opinionwatch.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;
import org.opinionwatch.notifier.webhook.WebhookClient;

/**
 * A chat group's robot (WeCom, DingTalk, Feishu): each attempt is signed anew with its own time, so a retry an hour
 * later is not refused as stale, and the answer's code decides as much as the HTTP status.
 */
public record RobotChannel(String name, Robot robot, WebhookClient client, Pace pace, Clock clock) implements Channel {
    /** Enough of an answer for its code and message, long Chinese explanations included. */
    private static final int ANSWER_BYTES = 2048;

    @Override
    public String type() {
        return robot.type();
    }

    @Override
    public String shown() {
        return robot.shown();
    }

    @Override
    public Attempt send(Message message) throws InterruptedException {
        Robot.Request request = robot.request(message, clock.millis());
        WebhookClient.Reply reply = client.post(request.url(), Map.of(WebhookClient.CONTENT_TYPE, "application/json; charset=utf-8"),
                request.body(), ANSWER_BYTES);
        Attempt http = reply.attempt();
        // The services answer 200 with a code in the body (Feishu some refusals with 400 and a code too).
        if (http.status() == null || http.status() >= 500 || reply.body().isEmpty()) {
            return http;
        }
        JsonNode answer;
        try {
            answer = Json.TOLERANT.readTree(reply.body());
        } catch (JsonProcessingException e) {
            return http;
        }
        Attempt judged = answer == null || !answer.isObject() ? null : robot.judge(http.status(), answer, http.latency());
        return judged != null ? judged : http;
    }

    static byte[] bytes(ObjectNode json) {
        try {
            return Json.TOLERANT.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree is always JSON", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + robot.type() + " " + robot.shown() + ")";
    }
}
