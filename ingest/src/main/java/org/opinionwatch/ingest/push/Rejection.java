package org.opinionwatch.ingest.push;

import java.util.List;

/**
 * Why a request is refused: the HTTP status, the reason a person reads, the items at fault, and the input as far as
 * it was read. A rejection of input becomes a dead letter too; one of the request itself (route, credentials, the
 * pipeline unavailable) does not, because nothing was delivered or the client is asked to deliver it again.
 */
final class Rejection extends Exception {
    /** One item of a batch that is invalid, by its index in the request's array (0 for a single object). */
    record ItemError(int index, String reason) {
    }

    final int status;
    final List<ItemError> details;
    final boolean ofInput;
    /** The body as read, for the dead letter; null when it was refused unread. */
    final String input;

    private Rejection(int status, String reason, List<ItemError> details, boolean ofInput, String input) {
        super(reason, null, false, false); // a verdict for the client, not a fault: no stack trace
        this.status = status;
        this.details = List.copyOf(details);
        this.ofInput = ofInput;
        this.input = input;
    }

    /** Refused for the request itself, not its input: nothing to dead-letter. */
    static Rejection ofRequest(int status, String reason) {
        return new Rejection(status, reason, List.of(), false, null);
    }

    static Rejection ofInput(int status, String reason, String input) {
        return new Rejection(status, reason, List.of(), true, input);
    }

    static Rejection ofItems(String reason, List<ItemError> details, String input) {
        return new Rejection(400, reason, details, true, input);
    }

    /** The reason with each bad item's, so the dead letter alone says what was wrong. */
    String deadLetterReason() {
        StringBuilder reason = new StringBuilder(getMessage());
        for (ItemError item : details) {
            reason.append("; [").append(item.index()).append("] ").append(item.reason());
        }
        return reason.toString();
    }
}
