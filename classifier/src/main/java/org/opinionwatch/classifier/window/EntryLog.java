package org.opinionwatch.classifier.window;

import java.util.List;

/** Where a window's entries are kept, by instant (epoch millis); the classifier backs it with a state store. */
public interface EntryLog {
    WindowEntry get(long at);

    void put(long at, WindowEntry entry);

    /** The instant of the earliest entry after {@code fromExclusive}, or null if there is none. */
    Long earliestAfter(long fromExclusive);

    /** Removes and returns the entries in (fromExclusive, toInclusive]. */
    List<WindowEntry> removeRange(long fromExclusive, long toInclusive);
}
