package org.opinionwatch.classifier.window;

import java.util.ArrayList;
import java.util.List;

/** What an incident gained at one instant: views, comments, and the mainstream outlets that posted then. */
public record WindowEntry(long views, long comments, List<String> outlets) {
    public WindowEntry {
        outlets = List.copyOf(outlets);
    }

    public WindowEntry plus(WindowEntry other) {
        List<String> both = new ArrayList<>(outlets);
        both.addAll(other.outlets);
        return new WindowEntry(views + other.views, comments + other.comments, both);
    }
}
