package org.opinionwatch.classifier.topology;

import org.opinionwatch.contract.event.Engagement;

/** The highest engagement ever observed of a post, and the subject it matched; kept per post id. */
record PostProgress(Engagement max, String subject) {
    static final String SCHEMA = "classifier-post-progress/1";
}
