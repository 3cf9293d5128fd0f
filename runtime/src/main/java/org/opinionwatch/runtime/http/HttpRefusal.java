package org.opinionwatch.runtime.http;

import java.util.List;

/**
 * Why an endpoint refuses a request: the HTTP status, the reason a person reads, the details (what in the input is
 * wrong, item by item or field by field), and, when the input itself is refused, the input as far as it was read.
 * A refusal of the request itself (route, method, credentials, the pipeline unavailable) carries no input: nothing
 * was delivered, or the client is asked to deliver it again. {@link Exchange#refuse} answers it as
 * {@code {"error": reason, "details": [...]}}.
 */
public final class HttpRefusal extends Exception {
    private final int status;
    private final List<?> details;
    private final boolean ofInput;
    private final String input;

    private HttpRefusal(int status, String reason, List<?> details, boolean ofInput, String input) {
        super(reason, null, false, false); // a verdict for the client, not a fault: no stack trace
        this.status = status;
        this.details = List.copyOf(details);
        this.ofInput = ofInput;
        this.input = input;
    }

    /** Refused for the request itself, not its input. */
    public static HttpRefusal ofRequest(int status, String reason) {
        return new HttpRefusal(status, reason, List.of(), false, null);
    }

    /** @param input the body as read, or null when it was refused unread */
    public static HttpRefusal ofInput(int status, String reason, String input) {
        return new HttpRefusal(status, reason, List.of(), true, input);
    }

    /** @param details each written as JSON in the answer, so that the client can fix every fault at once */
    public static HttpRefusal ofInput(int status, String reason, List<?> details, String input) {
        return new HttpRefusal(status, reason, details, true, input);
    }

    public int status() {
        return status;
    }

    public List<?> details() {
        return details;
    }

    /** Whether the input was refused (and so may be worth keeping as a dead letter), not the request. */
    public boolean ofInput() {
        return ofInput;
    }

    /** The body as read, for a dead letter; null for a refusal of the request, or of a body refused unread. */
    public String input() {
        return input;
    }
}
