package org.opinionwatch.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.webhook.Attempt;

/**
 * A chat service's group robot, as its documentation has it: where a message goes, how it is signed, what the body
 * looks like and how large it may be, and what the codes of its answers mean. The services answer HTTP 200 to most
 * requests and say in the body's code whether they took the message.
 */
sealed interface Robot permits WeComRobot, DingTalkRobot, FeishuRobot {
    /** One request: the address (a signature in its query, for DingTalk) and the JSON body. */
    record Request(URI url, byte[] body) {
    }

    String type();

    /** The service's own address, for a channel without {@code url}. */
    String defaultUrl();

    /** The service's limit of messages a minute per robot. */
    int perMinute();

    /** The service's limit of messages a second per robot; 0 when it has none. */
    default int perSecond() {
        return 0;
    }

    /** Where the messages go, without credentials: for records and logs. */
    String shown();

    /** The request of one attempt, signed with {@code nowMillis} where the service signs. */
    Request request(Message message, long nowMillis);

    /**
     * What the answer's code says; null when the answer has none (then the HTTP status decides).
     *
     * @param status the HTTP status
     */
    Attempt judge(int status, JsonNode answer, Duration latency);

    /** An attempt the service took. */
    static Attempt taken(int status, Duration latency) {
        return new Attempt(Attempt.Kind.DELIVERED, status, Attempt.DELIVERED_RESULT, null, null, latency);
    }

    /** An attempt the service refused for good: a wrong key or signature, a message it will never take. */
    static Attempt refused(int status, String code, String message, Duration latency) {
        return new Attempt(Attempt.Kind.REFUSED, status, "refused", "code " + code + ": " + message, null, latency);
    }

    /** An attempt to make again, after {@code retryAfter} when the service asked to slow down. */
    static Attempt again(int status, String result, String code, String message, Duration retryAfter, Duration latency) {
        return new Attempt(Attempt.Kind.FAILED, status, result, "code " + code + ": " + message, retryAfter, latency);
    }
}
