package org.opinionwatch.classifier.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;

/**
 * Tells the story grouper and this task's router how far this task's posts.raw partition has got, as a promise
 * ({@link Increment#promise}, {@link Promise.Source#POSTS}) that goes to every partition of the grouper's input:
 * the latest of its valid posts read and of the clock's heartbeats (ingest sends one only after the posts before it,
 * and the task takes a heartbeat only after the posts before it that are on the broker). No story this task sends later is older, a post
 * observed out of order within its partition, or moved to it from another, aside. Not the task's stream time: a
 * loop topic's record (a handover from a task that is ahead) moves that past posts not yet published.
 *
 * <p>Sent on each heartbeat, so that a replay's last heartbeat releases every story still waiting; and between
 * heartbeats every {@link #EVERY} of wall-clock time when it has moved, so that stories wait about that long rather
 * than a heartbeat period. Wall-clock time decides only when the grouper may decide, never what.
 */
final class Progress implements Processor<String, Progress.Reached, String, Increment> {
    static final Duration EVERY = Duration.ofMillis(100);

    /** posts.raw has got to {@code at}: a post read, or a heartbeat ({@code promise}: sent on at once). */
    record Reached(Instant at, boolean promise) {
    }

    private ProcessorContext<String, Increment> context;
    private long reached = Long.MIN_VALUE;
    private long sent = Long.MIN_VALUE;

    @Override
    public void init(ProcessorContext<String, Increment> context) {
        this.context = context;
        // Kafka Streams may init a processor again after aborting a transaction: what it sent in it is not sent.
        reached = Long.MIN_VALUE;
        sent = Long.MIN_VALUE;
        context.schedule(EVERY, PunctuationType.WALL_CLOCK_TIME, wallClock -> send());
    }

    @Override
    public void process(Record<String, Reached> record) {
        reached = Math.max(reached, record.value().at().toEpochMilli());
        if (record.value().promise()) {
            send();
        }
    }

    private void send() {
        if (reached > sent) {
            sent = reached;
            context.forward(new Record<>(ClassifierTopology.PROMISE_KEY, Increment.promise(Promise.Source.POSTS, context.taskId().partition(),
                    Instant.ofEpochMilli(sent)), sent));
        }
    }
}
