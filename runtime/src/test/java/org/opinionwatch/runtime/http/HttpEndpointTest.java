package org.opinionwatch.runtime.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.serde.Json;

/** The HTTP server every endpoint runs on, against slow and hostile clients on real sockets. */
class HttpEndpointTest {
    private static final OpinionWatchConfig.Endpoints DEFAULTS = ConfigLoader.load(null, Map.of()).endpoints();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Socket> held = new ArrayList<>();
    private HttpEndpoint endpoint;

    /** Echoes the JSON body it gets, or fails as the path says. */
    private static void echo(Exchange exchange) throws HttpRefusal, IOException {
        switch (exchange.rawPath()) {
            case "/echo" -> exchange.respond(200, Json.TOLERANT.readTree(exchange.jsonBody(1024)));
            case "/refuse" -> throw HttpRefusal.ofRequest(409, "refused as asked");
            case "/fail" -> throw new IllegalStateException("secret internals");
            default -> exchange.respond(200, Map.of("path", exchange.rawPath()));
        }
    }

    private HttpEndpoint start(OpinionWatchConfig.Endpoints limits) throws IOException {
        endpoint = HttpEndpoint.start("test", "127.0.0.1", 0, limits, HttpEndpointTest::echo);
        return endpoint;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A connection that sent {@code start} of a request and then nothing. */
    private Socket halfSent(String start) throws IOException {
        Socket socket = new Socket("127.0.0.1", endpoint.port());
        held.add(socket);
        socket.getOutputStream().write(start.getBytes(US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** What the server answers on a raw connection, up to its close or two seconds of silence. */
    private static String answer(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                text.append(new String(buffer, 0, n, UTF_8));
            }
        } catch (SocketTimeoutException e) {
            // what came is all there is
        }
        return text.toString();
    }

    private static JsonNode bodyOf(String rawResponse) throws IOException {
        return Json.TOLERANT.readTree(rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void halfSentRequestsDoNotDelayAValidOne() throws Exception {
        start(DEFAULTS);
        for (int i = 0; i < 8; i++) {
            halfSent("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/j"); // headers never end
        }
        for (int i = 0; i < 8; i++) {
            halfSent("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":"); // nor the body
        }

        long started = System.nanoTime();
        HttpResponse<String> response = get("/anything");
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertEquals(200, response.statusCode());
        assertEquals("/anything", Json.TOLERANT.readTree(response.body()).path("path").asText());
        assertTrue(millis < 1000, "answered in " + millis + " ms with 16 half-sent requests held open");
    }

    @Test
    void aHalfSentRequestIsClosedWhenIdle() throws Exception {
        start(new OpinionWatchConfig.Endpoints("127.0.0.1", Duration.ofMillis(500), DEFAULTS.maxHeaderBytes(),
                DEFAULTS.minBodyBytesPerSecond(), DEFAULTS.maxConnections()));
        Socket socket = halfSent("GET /anything HTTP/1.1\r\nHost: x\r\n");

        socket.setSoTimeout(5000);
        long started = System.nanoTime();
        int read;
        try {
            read = socket.getInputStream().read();
        } catch (IOException reset) {
            read = -1;
        }
        assertEquals(-1, read, "closed, not answered");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 4000, "closed after its idle timeout");
    }

    @Test
    void aMalformedRequestIsRefusedInJson() throws Exception {
        start(DEFAULTS);
        String raw = answer(halfSent("THIS IS NOT HTTP\r\n\r\n"));

        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        assertTrue(raw.toLowerCase().contains("content-type: application/json"), raw);
        assertFalse(raw.toLowerCase().contains("<html"), raw);
        assertTrue(bodyOf(raw).path("error").isTextual(), raw);
    }

    @Test
    void headersOverTheLimitAre431InJson() throws Exception {
        start(DEFAULTS);
        String raw = answer(halfSent("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(DEFAULTS.maxHeaderBytes()) + "\r\n\r\n"));

        assertTrue(raw.startsWith("HTTP/1.1 431"), raw);
        assertTrue(raw.toLowerCase().contains("content-type: application/json"), raw);
        assertTrue(bodyOf(raw).path("error").isTextual(), raw);
    }

    @Test
    void aRefusalIsAnsweredAsJsonWithItsStatus() throws Exception {
        start(DEFAULTS);
        HttpResponse<String> response = get("/refuse");

        assertEquals(409, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = Json.TOLERANT.readTree(response.body());
        assertEquals("refused as asked", body.path("error").asText());
        assertTrue(body.path("details").isArray());
    }

    @Test
    void aFailingHandlerIs500WithoutItsInternals() throws Exception {
        start(DEFAULTS);
        HttpResponse<String> response = get("/fail");

        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("secret internals"), response.body());
        assertFalse(response.body().contains("IllegalStateException"), response.body());
        assertTrue(Json.TOLERANT.readTree(response.body()).path("error").asText().startsWith("internal error"));
        assertEquals(200, get("/anything").statusCode(), "and serves on");
    }

    @Test
    void aBodyTricklingInSlowerThanTheMinimumIsCutOff() throws Exception {
        start(new OpinionWatchConfig.Endpoints("127.0.0.1", Duration.ofSeconds(30), DEFAULTS.maxHeaderBytes(), 200,
                DEFAULTS.maxConnections()));
        Socket socket = halfSent("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        String raw = null;
        try {
            for (int i = 0; i < 100 && raw == null; i++) { // a byte every 100 ms: 10 bytes/s, far below 200
                out.write(' ');
                out.flush();
                Thread.sleep(100);
                if (socket.getInputStream().available() > 0) {
                    raw = answer(socket);
                }
            }
        } catch (IOException closed) {
            raw = "closed"; // the server closed the connection on the trickle
        }
        assertTrue("closed".equals(raw) || raw != null && raw.startsWith("HTTP/1.1 408"), "cut off within 10 s: " + raw);
    }
}
