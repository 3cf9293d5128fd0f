package org.opinionwatch.classifier.topology;

import java.time.Instant;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.PostRef;

/**
 * What one post snapshot added to its incident: the growth of the post's engagement since its highest earlier
 * snapshot. Internal to the classifier (repartition topic).
 *
 * @param subject the subject the post matched, or null for a repost that matched none (its root may have)
 * @param outlet the mainstream outlet that published the post, on the post's first observation only
 * @param at the snapshot's event time
 * @param needsReply whether the post needs a reply (its content category), on its first observation only
 * @param domains the sensitive domains the post touches, on its first observation only
 */
record Increment(String incidentId, String subject, PostRef post, boolean root, Instant at, Engagement delta,
                 String outlet, boolean firstObservation, boolean needsReply, java.util.List<String> domains) {
    static final String SCHEMA = "classifier-increment/1";
}
