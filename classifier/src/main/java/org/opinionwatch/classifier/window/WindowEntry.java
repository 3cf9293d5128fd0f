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
        // No more outlets at one instant than a window counts.
        return new WindowEntry(Counts.plus(views, other.views), Counts.plus(comments, other.comments),
                both.subList(0, Math.min(both.size(), TrailingWindow.MAX_OUTLETS)));
    }
}
