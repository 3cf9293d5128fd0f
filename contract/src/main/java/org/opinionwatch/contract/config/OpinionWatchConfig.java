package org.opinionwatch.contract.config;

import java.time.Duration;
import java.util.List;
import org.opinionwatch.contract.topic.Topics;

/** All settings of Opinion Watch in one typed place; loaded by {@link ConfigLoader}. */
public record OpinionWatchConfig(Kafka kafka, TopicSettings topics, Classifier classifier, Escalation escalation) {

    public record Kafka(String bootstrapServers, int partitions, short replicationFactor) {
    }

    public record TopicSettings(String prefix) {
    }

    public record Classifier(String applicationId, Duration window, Thresholds thresholds, List<Subject> subjects) {
    }

    /** Entering MAJOR or CRITICAL: any one of views, comments or distinct mainstream outlets reaching its value. */
    public record Thresholds(Threshold major, Threshold critical) {
    }

    public record Threshold(long views, long comments, int outlets) {
    }

    /**
     * A monitored subject: a post matches when its title or text contains one of the keywords and none of the
     * exclusions; a catch-all subject matches every post.
     */
    public record Subject(String id, String name, List<String> keywords, List<String> exclude, boolean catchAll) {
        public Subject {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }
    }

    public record Escalation(String applicationId, Duration forwardWithin, Duration respondWithin,
                             Duration trackingEvery, Duration trackingFor) {
    }

    public Topics topicNames() {
        return Topics.withPrefix(topics.prefix());
    }

    /** The same settings in another topic namespace, with application ids in that namespace too. */
    public OpinionWatchConfig inNamespace(String prefix) {
        return new OpinionWatchConfig(kafka, new TopicSettings(prefix),
                new Classifier(prefix + classifier.applicationId(), classifier.window(), classifier.thresholds(), classifier.subjects()),
                new Escalation(prefix + escalation.applicationId(), escalation.forwardWithin(), escalation.respondWithin(),
                        escalation.trackingEvery(), escalation.trackingFor()));
    }

    public OpinionWatchConfig withBootstrapServers(String bootstrapServers) {
        return new OpinionWatchConfig(new Kafka(bootstrapServers, kafka.partitions(), kafka.replicationFactor()),
                topics, classifier, escalation);
    }
}
