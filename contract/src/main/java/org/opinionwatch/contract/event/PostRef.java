package org.opinionwatch.contract.event;

/** A short reference to a post, enough for a person to open it. */
public record PostRef(String id, String url, String title) {
}
