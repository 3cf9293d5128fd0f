package org.opinionwatch.runtime.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.opinionwatch.contract.serde.Json;

/**
 * Jetty's own refusals (a malformed request, headers over the limit, a body too slow) answered as the endpoints
 * answer theirs, {@code {"error": reason, "details": []}}: no server page, no stack trace, whatever the client accepts.
 */
final class JsonErrors extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(json(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(json(status, reason));
    }

    private static byte[] json(int status, String message) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        try {
            return Json.TOLERANT.writeValueAsBytes(new Refusal(reason, List.of()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a string and an empty list are always JSON", e);
        }
    }

    private record Refusal(String error, List<?> details) {
    }
}
