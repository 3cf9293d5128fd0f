package org.opinionwatch.runtime.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import org.opinionwatch.contract.serde.Json;

/** Reading a JSON request and answering in JSON, the same way at every endpoint of {@link JsonServer}. */
public final class JsonExchange {
    /**
     * How much of an oversized body is read and thrown away after the 413 is sent. Closing a connection with unread
     * input makes TCP reset it, and the reset can destroy the 413 before the client reads it; a client that sends a
     * body somewhat too big should learn why. Beyond this the connection is closed anyway.
     */
    private static final long DISCARD_BYTES = 16L * 1024 * 1024;
    // Strict: input from outside, an unknown field is a mistake to report. Trailing tokens fail: "{...} {...}" is not
    // one document, and reading only the first would drop the rest.
    private static final ObjectReader DOCUMENT = Json.STRICT.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonExchange() {
    }

    /**
     * The request's body as text, checked in the order that costs the client least to learn: at most
     * {@code maxBodyBytes} (413), {@code application/json} in UTF-8 (415), valid UTF-8 (400). Each refusal is
     * {@linkplain HttpRefusal#ofInput of the input} and carries the body as far as it was read.
     *
     * @param maxBodyBytes below {@link Integer#MAX_VALUE}: one byte past it is read to tell "at" from "over"
     */
    public static String jsonBody(HttpExchange exchange, int maxBodyBytes) throws HttpRefusal, IOException {
        byte[] body = body(exchange, maxBodyBytes);
        checkMediaType(exchange.getRequestHeaders().getFirst("Content-Type"), body);
        return utf8(body);
    }

    /**
     * One JSON document, strictly: malformed JSON or anything after the document is a 400 naming the line and
     * column. An empty body is a missing node, for the caller to say what it expected.
     */
    public static JsonNode document(String body) throws HttpRefusal {
        try {
            return DOCUMENT.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpRefusal.ofInput(400, "malformed JSON: " + e.getOriginalMessage().replace('\n', ' ') + at(e.getLocation()), body);
        }
    }

    /** Answers with {@code body} as JSON. */
    public static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json;
        try {
            json = Json.TOLERANT.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // the endpoints answer plain records
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (status == 413) {
            exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is not worth reading
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) { // closing it also closes the request body
            out.write(json);
            if (status == 413) {
                out.flush();
                discard(exchange.getRequestBody());
            }
        }
    }

    /** Answers {@code {"error": reason, "details": [...]}} with the refusal's status. */
    public static void refuse(HttpExchange exchange, HttpRefusal refusal) throws IOException {
        respond(exchange, refusal.status(), new Refusal(refusal.getMessage(), refusal.details()));
    }

    private record Refusal(String error, List<?> details) {
    }

    /** The body, read up to one byte past the limit and no further, so an oversized body never fills memory. */
    private static byte[] body(HttpExchange exchange, int limit) throws HttpRefusal, IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > limit) { // the server already rejected a bad number
            throw HttpRefusal.ofInput(413, "body of " + declared.strip() + " bytes is over the limit of " + limit + " bytes", null);
        }
        InputStream in = exchange.getRequestBody(); // without Content-Length, chunked: the limit applies while reading
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw HttpRefusal.ofInput(413, "body is over the limit of " + limit + " bytes", new String(body, UTF_8));
        }
        return body;
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

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
