package org.opinionwatch.contract.topic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.DeadLetter;
import org.opinionwatch.contract.event.Delivery;
import org.opinionwatch.contract.event.ForecastWarning;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.event.SeverityChange;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.event.TrackingCheckpoint;
import org.opinionwatch.contract.serde.Json;
import org.opinionwatch.contract.serde.JsonSerde;

/**
 * Every topic of the pipeline, named under one namespace prefix so that a replay never mixes with live traffic.
 * All keys are strings: post ids, source ids, incident ids.
 */
public record Topics(
        String prefix,
        Topic<String, Post> postsRaw,
        Topic<String, DeadLetter> postsDlq,
        Topic<String, SeverityChange> severity,
        Topic<String, ForecastWarning> forecast,
        Topic<String, IncidentState> incidents,
        Topic<String, TimelineEntry> timeline,
        Topic<String, Notification> notifications,
        Topic<String, Delivery> deliveries,
        Topic<String, TrackingCheckpoint> tracking,
        Topic<String, Heartbeat> clock,
        Topic<String, Action> actions,
        Topic<String, OpinionWatchConfig.Rules> rules,
        Topic<String, byte[]> handover,
        Topic<String, DeadLetter> classifierDlq,
        Topic<String, DeadLetter> escalationDlq) {

    public static final JsonSerde<Post> POST = new JsonSerde<>(Post.class, Post.SCHEMA);
    public static final JsonSerde<DeadLetter> DEAD_LETTER = new JsonSerde<>(DeadLetter.class, DeadLetter.SCHEMA);
    public static final JsonSerde<SeverityChange> SEVERITY_CHANGE = new JsonSerde<>(SeverityChange.class, SeverityChange.SCHEMA);
    public static final JsonSerde<ForecastWarning> FORECAST = new JsonSerde<>(ForecastWarning.class, ForecastWarning.SCHEMA);
    public static final JsonSerde<IncidentState> INCIDENT_STATE = new JsonSerde<>(IncidentState.class, IncidentState.SCHEMA);
    public static final JsonSerde<TimelineEntry> TIMELINE = new JsonSerde<>(TimelineEntry.class, TimelineEntry.SCHEMA);
    /** Reads notification/1 too: its one {@code duty} becomes {@code duties}, and the duty tells the kind. */
    public static final JsonSerde<Notification> NOTIFICATION = new JsonSerde<>(Notification.class, Notification.SCHEMA, Json.TOLERANT)
            .reading("notification/1", Topics::notificationFromV1);
    /** Reads delivery/1 too: one record per notification, of its role's webhook, without channel, audience and people. */
    public static final JsonSerde<Delivery> DELIVERY = new JsonSerde<>(Delivery.class, Delivery.SCHEMA, Json.TOLERANT)
            .reading("delivery/1", v1 -> v1);
    public static final JsonSerde<TrackingCheckpoint> TRACKING = new JsonSerde<>(TrackingCheckpoint.class, TrackingCheckpoint.SCHEMA);
    public static final JsonSerde<Heartbeat> HEARTBEAT = new JsonSerde<>(Heartbeat.class, Heartbeat.SCHEMA);
    /** Reads action/1 too: each of its kinds becomes the duty it mostly meant ({@link #actionFromV1}). */
    public static final JsonSerde<Action> ACTION = new JsonSerde<>(Action.class, Action.SCHEMA, Json.TOLERANT)
            .reading("action/1", Topics::actionFromV1);
    public static final JsonSerde<OpinionWatchConfig.Rules> RULES = new JsonSerde<>(OpinionWatchConfig.Rules.class, OpinionWatchConfig.Rules.SCHEMA);
    /** The one key of the rules topic: compaction keeps the latest rules. */
    public static final String RULES_KEY = "classifier";

    /** The topics under a namespace; an empty prefix is the live namespace. */
    public static Topics withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new Topics(p,
                topic(p + "posts.raw", POST, false),
                topic(p + "posts.dlq", DEAD_LETTER, false),
                topic(p + "incidents.severity", SEVERITY_CHANGE, false),
                topic(p + "incidents.forecast", FORECAST, false),
                topic(p + "incidents", INCIDENT_STATE, true),
                // The classifier's decisions and progress for the escalation stage, each partition in event-time order.
                topic(p + "classifier.timeline", TIMELINE, false),
                topic(p + "notifications", NOTIFICATION, false),
                // Written by the notifier: what became of each notification on each channel.
                topic(p + "notifications.deliveries", DELIVERY, false),
                topic(p + "tracking", TRACKING, false),
                topic(p + "clock", HEARTBEAT, false),
                topic(p + "actions", ACTION, false),
                topic(p + "classifier.rules", RULES, true),
                // The classifier's own: increments it moves from one incident to another (stories that join another).
                new Topic<>(p + "classifier.handover", Serdes.String(), Serdes.ByteArray(), false),
                // Records a Streams stage could not read, process or write (key: the input's key), with the reason.
                topic(p + "classifier.dlq", DEAD_LETTER, false),
                topic(p + "escalation.dlq", DEAD_LETTER, false));
    }

    public List<Topic<String, ?>> all() {
        return List.of(postsRaw, postsDlq, severity, forecast, incidents, timeline, notifications, deliveries, tracking, clock, actions, rules,
                handover, classifierDlq, escalationDlq);
    }

    static ObjectNode notificationFromV1(ObjectNode v1) {
        String duty = v1.path("duty").asText("");
        v1.remove("duty");
        v1.putArray("duties").add(duty);
        v1.put("kind", switch (duty) {
            case "reminder" -> Notification.Kind.REMINDER.name();
            case "overdue" -> Notification.Kind.OVERDUE.name();
            case "bulletin" -> Notification.Kind.BULLETIN.name();
            case "daily-report" -> Notification.Kind.DAILY_REPORT.name();
            default -> Notification.Kind.DUTIES.name();
        });
        return v1;
    }

    /**
     * action/1 named a kind that closed every duty it answered; action/2 closes one duty. An action/1 record becomes
     * the duty its kind mostly meant: acknowledged the report to the leadership, forwarded the triage, responded the
     * response, reviewed the review; resolved stays resolve.
     */
    static ObjectNode actionFromV1(ObjectNode v1) {
        String kind = v1.path("kind").asText("");
        String duty = switch (kind) {
            case "ACKNOWLEDGED" -> "report-to-leadership";
            case "FORWARDED" -> "triage-and-forward";
            case "RESPONDED" -> "respond";
            case "REVIEWED" -> "review";
            default -> null;
        };
        v1.put("kind", duty == null ? Action.Kind.RESOLVE.name() : Action.Kind.DONE.name());
        if (duty != null) {
            v1.put("duty", duty);
        }
        return v1;
    }

    private static <V> Topic<String, V> topic(String name, Serde<V> values, boolean compacted) {
        return new Topic<>(name, Serdes.String(), values, compacted);
    }
}
