package org.opinionwatch.notifier.fake;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opinionwatch.contract.serde.Json;

/**
 * The group robots of WeCom, DingTalk and Feishu on 127.0.0.1, each checking a request as its service's documentation
 * says it checks it, and answering as it answers (HTTP 200 with a code in the body):
 *
 * <ul>
 *   <li>WeCom {@code POST /cgi-bin/webhook/send?key=KEY}: an unknown key 93000; {@code msgtype} markdown with
 *       {@code markdown.content}, else 40008; content over 4096 bytes 40058; over 20 messages a minute 45009.</li>
 *   <li>DingTalk {@code POST /robot/send?access_token=T&timestamp=MS&sign=S}: an unknown token 300001; a timestamp more
 *       than an hour off 310000 "invalid timestamp"; a sign that is not the Base64 HMAC-SHA256 (key: the secret) of
 *       {@code timestamp + "\n" + secret} 310000 "sign not match"; a body over 20000 bytes 460101; {@code msgtype}
 *       markdown with {@code title} and {@code text}, else 40035; over 20 a minute 130101.</li>
 *   <li>Feishu {@code POST /open-apis/bot/v2/hook/ID}: an unknown hook 19001; a body over 20 KB 9499 (with HTTP 400);
 *       {@code timestamp} more than an hour off or a {@code sign} that is not the Base64 HMAC-SHA256 (key:
 *       {@code timestamp + "\n" + secret}) of nothing 19021; {@code msg_type} interactive with a card that has a header
 *       title and elements, else 9499; over 100 a minute or 5 a second 11232.</li>
 * </ul>
 */
public final class ChatServices implements AutoCloseable {
    /**
     * A request as received.
     *
     * @param robot the key, token or hook id it was for
     * @param code what the fake answered: 0 taken
     * @param text what a person reads of it: the markdown, or the card's title, text and buttons with their links
     */
    public record Received(String service, String robot, JsonNode body, int code, String text, int bytes) {
    }

    private record Robot(String service, String secret, int perMinute, int perSecond, ArrayDeque<Instant> minute, ArrayDeque<Instant> second) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Robot> robots = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public ChatServices(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/cgi-bin/webhook/send", e -> answer(e, this::wecom));
        server.createContext("/robot/send", e -> answer(e, this::dingtalk));
        server.createContext("/open-apis/bot/v2/hook/", e -> answer(e, this::feishu));
        server.start();
    }

    public ChatServices() throws IOException {
        this(Clock.systemUTC());
    }

    /** A WeCom robot of that key, at WeCom's limit. */
    public ChatServices wecom(String key) {
        return wecom(key, 20);
    }

    public ChatServices wecom(String key, int perMinute) {
        robots.put("wecom:" + key, new Robot("wecom", null, perMinute, 0, new ArrayDeque<>(), new ArrayDeque<>()));
        return this;
    }

    public ChatServices dingtalk(String token, String secret) {
        return dingtalk(token, secret, 20);
    }

    public ChatServices dingtalk(String token, String secret, int perMinute) {
        robots.put("dingtalk:" + token, new Robot("dingtalk", secret, perMinute, 0, new ArrayDeque<>(), new ArrayDeque<>()));
        return this;
    }

    public ChatServices feishu(String hook, String secret) {
        return feishu(hook, secret, 100, 5);
    }

    public ChatServices feishu(String hook, String secret, int perMinute, int perSecond) {
        robots.put("feishu:" + hook, new Robot("feishu", secret, perMinute, perSecond, new ArrayDeque<>(), new ArrayDeque<>()));
        return this;
    }

    /** The base address of a service: what a channel's {@code url} is set to in place of the real one. */
    public String url(String service) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return switch (service) {
            case "wecom" -> base + "/cgi-bin/webhook/send";
            case "dingtalk" -> base + "/robot/send";
            case "feishu" -> base + "/open-apis/bot/v2/hook";
            default -> throw new IllegalArgumentException(service);
        };
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The messages a robot took. */
    public List<Received> taken(String service, String robot) {
        return received.stream().filter(r -> r.service().equals(service) && r.robot().equals(robot) && r.code() == 0).toList();
    }

    private interface Check {
        /** The answer's JSON; a {@code code} or {@code errcode} of 0 is taken. */
        ObjectNode check(URI uri, byte[] body, Received[] seen);
    }

    private void answer(HttpExchange exchange, Check check) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            ObjectNode answer;
            Received[] seen = new Received[1];
            if (!exchange.getRequestMethod().equals("POST")) {
                answer = Json.TOLERANT.createObjectNode().put("errcode", 43004).put("errmsg", "require POST method");
            } else {
                answer = check.check(exchange.getRequestURI(), body, seen);
            }
            if (seen[0] != null) {
                received.add(seen[0]);
            }
            byte[] bytes = Json.TOLERANT.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            int status = answer.path("status").asInt(200);
            answer.remove("status");
            bytes = Json.TOLERANT.writeValueAsBytes(answer);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static ObjectNode wecomAnswer(int code, String message) {
        return Json.TOLERANT.createObjectNode().put("errcode", code).put("errmsg", message);
    }

    private ObjectNode wecom(URI uri, byte[] body, Received[] seen) {
        String key = query(uri).get("key");
        Robot robot = key == null ? null : robots.get("wecom:" + key);
        if (robot == null) {
            return wecomAnswer(93000, "invalid webhook url, hint: [fake]");
        }
        JsonNode json = parse(body);
        String content = json == null ? null : json.path("markdown").path("content").asText(null);
        int code;
        String message;
        if (json == null || !"markdown".equals(json.path("msgtype").asText()) || content == null) {
            code = 40008;
            message = "invalid message type";
        } else if (content.getBytes(UTF_8).length > 4096) {
            code = 40058;
            message = "markdown.content exceed max length 4096. invalid Request Parameter";
        } else if (!admit(robot)) {
            code = 45009;
            message = "api freq out of limit";
        } else {
            code = 0;
            message = "ok";
        }
        seen[0] = new Received("wecom", key, json, code, content, body.length);
        return wecomAnswer(code, message);
    }

    private ObjectNode dingtalk(URI uri, byte[] body, Received[] seen) {
        Map<String, String> q = query(uri);
        String token = q.get("access_token");
        Robot robot = token == null ? null : robots.get("dingtalk:" + token);
        if (robot == null) {
            return wecomAnswer(300001, "token is not exist");
        }
        JsonNode json = parse(body);
        int code;
        String message;
        long timestamp = parseLong(q.get("timestamp"));
        if (timestamp < 0 || Math.abs(clock.millis() - timestamp) > Duration.ofHours(1).toMillis()) {
            code = 310000;
            message = "invalid timestamp";
        } else if (q.get("sign") == null || !MessageDigest.isEqual(hmac(robot.secret(), timestamp + "\n" + robot.secret()),
                decode(q.get("sign")))) {
            code = 310000;
            message = "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]";
        } else if (body.length > 20_000) {
            code = 460101;
            message = "message too long, exceed 20000 bytes";
        } else if (json == null || !"markdown".equals(json.path("msgtype").asText()) || !json.path("markdown").path("title").isTextual()
                || !json.path("markdown").path("text").isTextual()) {
            code = 40035;
            message = "缺少参数 json";
        } else if (!admit(robot)) {
            code = 130101;
            message = "send too fast, exceed 20 times per minute";
        } else {
            code = 0;
            message = "ok";
        }
        seen[0] = new Received("dingtalk", token, json, code, json == null ? null : json.path("markdown").path("text").asText(null), body.length);
        return wecomAnswer(code, message);
    }

    private ObjectNode feishu(URI uri, byte[] body, Received[] seen) {
        String hook = uri.getPath().substring("/open-apis/bot/v2/hook/".length());
        Robot robot = robots.get("feishu:" + hook);
        if (robot == null) {
            return feishuAnswer(19001, "param invalid: incoming webhook access token invalid");
        }
        JsonNode json = body.length > 20 * 1024 ? null : parse(body);
        int code;
        String message;
        String text = null;
        if (body.length > 20 * 1024) {
            code = 9499;
            message = "Bad Request";
        } else {
            long timestamp = json == null ? -1 : parseLong(json.path("timestamp").asText(null));
            byte[] sign = json == null ? null : decode(json.path("sign").asText(null));
            if (timestamp < 0 || Math.abs(clock.instant().getEpochSecond() - timestamp) > 3600 || sign == null
                    || !MessageDigest.isEqual(hmac(timestamp + "\n" + robot.secret(), ""), sign)) {
                code = 19021;
                message = "sign match fail or timestamp is not within one hour from current time";
            } else if (!"interactive".equals(json.path("msg_type").asText()) || !json.path("card").path("header").path("title").path("content").isTextual()
                    || !json.path("card").path("elements").isArray() || json.path("card").path("elements").isEmpty()) {
                code = 9499;
                message = "Bad Request";
            } else if (!admit(robot)) {
                code = 11232;
                message = "frequency limited psm[lark.oapi.app_platform_runtime]appID[0]";
            } else {
                code = 0;
                message = "success";
            }
            if (json != null) {
                StringBuilder read = new StringBuilder(json.path("card").path("header").path("title").path("content").asText("")).append('\n');
                for (JsonNode element : json.path("card").path("elements")) {
                    read.append(element.path("text").path("content").asText("")).append('\n');
                    for (JsonNode action : element.path("actions")) {
                        read.append('[').append(action.path("text").path("content").asText("")).append("](").append(action.path("url").asText(""))
                                .append(")\n");
                    }
                }
                text = read.toString();
            }
        }
        seen[0] = new Received("feishu", hook, json, code, text, body.length);
        ObjectNode answer = feishuAnswer(code, message);
        if (code == 9499) {
            answer.put("status", 400);
        }
        return answer;
    }

    private static ObjectNode feishuAnswer(int code, String message) {
        return Json.TOLERANT.createObjectNode().put("code", code).put("msg", message).set("data", Json.TOLERANT.createObjectNode());
    }

    /** Whether the robot may take one more message now: its service's per-minute (and per-second) limit. */
    private boolean admit(Robot robot) {
        synchronized (robot) {
            Instant now = clock.instant();
            prune(robot.minute(), now.minus(Duration.ofMinutes(1)));
            prune(robot.second(), now.minusSeconds(1));
            if (robot.minute().size() >= robot.perMinute() || robot.perSecond() > 0 && robot.second().size() >= robot.perSecond()) {
                return false;
            }
            robot.minute().addLast(now);
            robot.second().addLast(now);
            return true;
        }
    }

    private static void prune(ArrayDeque<Instant> window, Instant before) {
        while (!window.isEmpty() && !window.peekFirst().isAfter(before)) {
            window.removeFirst();
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.TOLERANT.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return base64 == null ? null : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The query's parameters, percent-decoded as a server decodes them (DingTalk's sign arrives URL-encoded). */
    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
