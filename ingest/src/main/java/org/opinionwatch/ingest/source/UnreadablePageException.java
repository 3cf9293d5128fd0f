package org.opinionwatch.ingest.source;

/**
 * A fetched page or feed that cannot be turned into posts. The message is the precise reason, written for the
 * dead letter ({@code posts.dlq}) that the page becomes: which part is missing or broken, and where.
 */
public final class UnreadablePageException extends Exception {
    public UnreadablePageException(String reason) {
        super(reason);
    }
}
