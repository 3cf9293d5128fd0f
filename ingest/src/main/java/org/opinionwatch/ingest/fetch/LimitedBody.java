package org.opinionwatch.ingest.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit and stops the transfer as soon as the body is known to be larger (by its
 * {@code Content-Length}, or by the bytes received), so that an oversized page costs no more than the limit in memory
 * and bandwidth: cancelling the subscription makes the client close the connection.
 */
final class LimitedBody implements BodySubscriber<byte[]> {

    /** The body is over the limit; only the first bytes of it were read. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    private final long limit;
    private final boolean truncate;
    private final long declaredLength;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(long limit, boolean truncate, long declaredLength) {
        this.limit = limit;
        this.truncate = truncate;
        this.declaredLength = declaredLength;
    }

    /** A body over the limit fails with {@link TooLargeException}. */
    static BodyHandler<byte[]> failingOver(long limit) {
        return info -> new LimitedBody(limit, false, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** A body over the limit is cut at the limit: for robots.txt, whose tail a crawler may ignore (RFC 9309 2.5). */
    static BodyHandler<byte[]> truncatedAt(long limit) {
        return info -> new LimitedBody(limit, true, -1);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredLength > limit) {
            tooLarge("Content-Length " + declaredLength);
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) { // cancelled; the client may still deliver what it had buffered
            return;
        }
        for (ByteBuffer buffer : buffers) {
            long room = limit - bytes.size();
            if (buffer.remaining() > room) {
                if (truncate) {
                    buffer.limit(buffer.position() + (int) room);
                    append(buffer);
                    subscription.cancel();
                    result.complete(bytes.toByteArray());
                } else {
                    tooLarge("more than " + limit + " bytes received");
                }
                return;
            }
            append(buffer);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    private void append(ByteBuffer buffer) {
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
    }

    private void tooLarge(String detail) {
        subscription.cancel();
        result.completeExceptionally(new TooLargeException("body over the limit of " + limit + " bytes: " + detail));
    }
}
