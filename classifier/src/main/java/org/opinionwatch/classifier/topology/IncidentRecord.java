package org.opinionwatch.classifier.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import org.opinionwatch.classifier.window.TrailingWindow;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;

/**
 * The classifier's state of one incident.
 *
 * @param subject null until a post of the incident matches a subject; until then engagement is counted but the
 *     incident is not open
 * @param topPosts the incident's posts with the most engagement, highest first
 */
record IncidentRecord(String subject, Level level, Instant openedAt, TrailingWindow window, long posts,
                      PostRef rootPost, List<TopPost> topPosts) {
    static final String SCHEMA = "classifier-incident/1";

    record TopPost(PostRef post, long engagement) {
    }

    @JsonIgnore
    boolean isOpen() {
        return subject != null;
    }
}
