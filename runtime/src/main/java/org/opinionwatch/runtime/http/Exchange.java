package org.opinionwatch.runtime.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.opinionwatch.contract.serde.Json;

/**
 * One request to an {@link HttpEndpoint} and its answer: what a handler reads of the request (method, path, headers,
 * a JSON body checked the same way at every endpoint) and the answer it gives, sent once the handler returns.
 */
public final class Exchange {
    /**
     * How much of an oversized body is read and thrown away after the 413 is sent. Closing a connection with unread
     * input makes TCP reset it, and the reset can destroy the 413 before the client reads it; a client that sends a
     * body somewhat too big should learn why. Beyond this the connection is closed anyway.
     */
    private static final long DISCARD_BYTES = 16L * 1024 * 1024;

    /** A body's first moments are not held against its pace: a client may pause before it sends. */
    private static final long PACE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Request request;
    private final Response response;
    private final long minBodyBytesPerSecond;
    private int status; // 0 until the handler answers
    private String contentType;
    private byte[] body = new byte[0];

    Exchange(Request request, Response response, long minBodyBytesPerSecond) {
        this.request = request;
        this.response = response;
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path as sent, percent-encoded: an id with a '/' in it stays one segment until the handler decodes it. */
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    /** The query string as sent, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of a request header, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The client's address, without its port: the port is ephemeral and tells nobody anything later. */
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /** Sets a header of the answer. */
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /**
     * The request's body as text, checked in the order that costs the client least to learn: at most
     * {@code maxBodyBytes} (413), at the endpoints' minimum pace once it has had two seconds (408),
     * {@code application/json} in UTF-8 (415), valid UTF-8 (400). Each refusal is
     * {@linkplain HttpRefusal#ofInput of the input} and carries the body as far as it was read.
     *
     * @param maxBodyBytes below {@link Integer#MAX_VALUE}: one byte past it is read to tell "at" from "over"
     */
    public String jsonBody(int maxBodyBytes) throws HttpRefusal, IOException {
        byte[] bytes = body(maxBodyBytes);
        checkMediaType(header("Content-Type"), bytes);
        return utf8(bytes);
    }

    /**
     * The body of an HTML form ({@code application/x-www-form-urlencoded}) as text, checked as {@link #jsonBody} is
     * but for its media type: at most {@code maxBodyBytes} (413), at the minimum pace (408), the form's type (415),
     * valid UTF-8 (400).
     */
    public String formBody(int maxBodyBytes) throws HttpRefusal, IOException {
        byte[] bytes = body(maxBodyBytes);
        String type = header("Content-Type");
        if (type == null || !type.split(";")[0].strip().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw HttpRefusal.ofInput(415, "Content-Type " + (type == null ? "missing" : type) + ": send application/x-www-form-urlencoded",
                    new String(bytes, UTF_8));
        }
        return utf8(bytes);
    }

    /** Answers with {@code value} as JSON. */
    public void respond(int status, Object value) {
        try {
            respond(status, "application/json; charset=utf-8", Json.TOLERANT.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // the endpoints answer plain records
        }
    }

    /** Answers with {@code bytes} of {@code contentType}. */
    public void respond(int status, String contentType, byte[] bytes) {
        this.status = status;
        this.contentType = contentType;
        this.body = bytes;
    }

    /** Answers {@code {"error": reason, "details": [...]}} with the refusal's status. */
    public void refuse(HttpRefusal refusal) {
        respond(refusal.status(), new Refusal(refusal.getMessage(), refusal.details()));
    }

    private record Refusal(String error, List<?> details) {
    }

    /**
     * Sends the answer and completes the exchange. A 413 closes the connection after reading on a little, so the
     * client can read why; a 408 (a trickling body) closes it at once.
     */
    void send(Callback callback) {
        if (status == 0) {
            refuse(HttpRefusal.ofRequest(500, "internal error: the request was not answered; see the stage's log"));
        }
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        if (status == 408) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (status != 413) {
            response.write(true, ByteBuffer.wrap(body), callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close"); // the rest of the body is not worth reading
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body), written);
            written.block();
            discard(Request.asInputStream(request));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    /**
     * The body, read up to one byte past the limit and no further, so an oversized body never fills memory, and at
     * no slower than the minimum pace, so a trickle cannot hold the thread for long.
     */
    private byte[] body(int limit) throws HttpRefusal, IOException {
        long declared = request.getLength();
        if (declared > limit) {
            throw HttpRefusal.ofInput(413, "body of " + declared + " bytes is over the limit of " + limit + " bytes", null);
        }
        InputStream in = Request.asInputStream(request); // without Content-Length, chunked: the limit applies while reading
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 0), limit + 1L));
        byte[] buffer = new byte[8192];
        long started = System.nanoTime();
        int n;
        while (bytes.size() <= limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1L - bytes.size()))) != -1) {
            bytes.write(buffer, 0, n);
            long elapsed = System.nanoTime() - started;
            if (minBodyBytesPerSecond > 0 && elapsed > PACE_GRACE_NANOS
                    && bytes.size() < minBodyBytesPerSecond * elapsed / TimeUnit.SECONDS.toNanos(1)) {
                throw HttpRefusal.ofInput(408, "body arrives slower than " + minBodyBytesPerSecond + " bytes per second: "
                        + bytes.size() + " bytes in " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms", bytes.toString(UTF_8));
            }
        }
        if (bytes.size() > limit) {
            throw HttpRefusal.ofInput(413, "body is over the limit of " + limit + " bytes", bytes.toString(UTF_8));
        }
        return bytes.toByteArray();
    }

    /** JSON in UTF-8 only (RFC 8259); a charset parameter may say so but must not say otherwise. */
    private static void checkMediaType(String contentType, byte[] body) throws HttpRefusal {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            throw HttpRefusal.ofInput(415, "Content-Type " + (contentType == null ? "missing" : contentType)
                    + ": send application/json", new String(body, UTF_8));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2) {
                String charset = parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw HttpRefusal.ofInput(415, "charset " + charset + " not supported: send UTF-8", decode(body, charset));
                }
            }
        }
    }

    /** The body in the charset the client declared, so a dead letter shows what was meant where Java can tell. */
    private static String decode(byte[] body, String charset) {
        try {
            return new String(body, Charset.forName(charset));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return new String(body, UTF_8);
        }
    }

    /** Strict: Java's default decoding would turn bad bytes into U+FFFD silently and pass them on. */
    private static String utf8(byte[] body) throws HttpRefusal {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpRefusal.ofInput(400, "body is not valid UTF-8 (first bad byte at offset " + in.position() + ")",
                    new String(body, UTF_8));
        }
    }

    /** Reads and drops what is left of a refused body, up to {@link #DISCARD_BYTES}, holding none of it. */
    private static void discard(InputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        long left = DISCARD_BYTES;
        int n;
        while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            left -= n;
        }
    }
}
