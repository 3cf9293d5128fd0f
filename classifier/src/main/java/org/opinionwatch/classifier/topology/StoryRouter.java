package org.opinionwatch.classifier.topology;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;
import org.opinionwatch.classifier.watermark.OrderedBuffer;
import org.opinionwatch.classifier.watermark.UpstreamPromises;
import org.opinionwatch.runtime.state.CommitHook;
import org.opinionwatch.runtime.state.Mirrored;
import org.opinionwatch.runtime.state.Queues;

/**
 * Sends each increment of this task's posts to the incident it counts for: its own, or, once the story grouper has
 * said that its story joined another incident, that one (through the handover topic). A story the grouper has not
 * decided yet is never counted as an incident of its own meanwhile: its first observation, and any increment not
 * after it (a post observed out of order), wait here for the grouper's word; the later ones go home marked as
 * awaiting it ({@link Routed#awaitingWord}), where the incident processor holds them anyway until the watermark, which
 * cannot pass the story before the word has come, and hands them over if the story joins another incident. So an
 * increment is held once, not here and then again there.
 *
 * <p>It promises every incident processor, after what it sent, that nothing older than the lowest of how far its
 * posts.raw partition has got and how far the grouper has decided is still to come from it
 * ({@link Promise.Source#ROUTER}): an incident processor goes no further than the lowest of all routers' promises.
 */
final class StoryRouter implements Processor<String, Increment, String, Routed> {
    private final int groupers;
    private ProcessorContext<String, Routed> context;
    /** Stories that joined another incident: their root post id → that incident. */
    private Mirrored<JoinedStory> routes;
    /** The increments of the stories awaiting the grouper's word, by root post id, one store record each. */
    private Queues<OrderedBuffer.Waiting> awaiting;
    private UpstreamPromises posts;
    private UpstreamPromises decided;
    private long promised = Long.MIN_VALUE;

    /** @param groupers how many story grouper tasks promise: one per partition of the grouper's input */
    StoryRouter(int groupers) {
        this.groupers = groupers;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.promised = Long.MIN_VALUE; // initialised again after an aborted transaction: promise again
        this.routes = new Mirrored<>(context.getStateStore(ClassifierTopology.ROUTE_STORE));
        this.awaiting = Queues.deferred(context.getStateStore(ClassifierTopology.AWAITING_STORE));
        context.<CommitHook>getStateStore(ClassifierTopology.ROUTE_COMMIT).beforeCommit(awaiting::writeAll);
        this.posts = new UpstreamPromises(context.getStateStore(ClassifierTopology.PROMISE_STORE), Promise.Source.POSTS, 1);
        this.decided = new UpstreamPromises(context.getStateStore(ClassifierTopology.PROMISE_STORE), Promise.Source.GROUPER, groupers);
        // After a restart the incident processors hear this router's promise again without waiting for a post.
        context.schedule(Progress.EVERY, PunctuationType.WALL_CLOCK_TIME, wallClock -> promise());
    }

    @Override
    public void process(Record<String, Increment> record) {
        Increment inc = record.value();
        if (inc.promise() != null) {
            // This task's own progress comes in place 0; the groupers' by their partitions.
            boolean moved = inc.promise().source() == Promise.Source.POSTS
                    ? posts.promised(0, inc.at().toEpochMilli())
                    : decided.promised(inc.promise().task(), inc.at().toEpochMilli());
            if (moved) {
                promise();
            }
        } else if (inc.isStoryDecision()) {
            decision(inc, record);
        } else {
            route(inc, record);
        }
    }

    private void route(Increment inc, Record<String, Increment> record) {
        String root = inc.incidentId();
        JoinedStory joined = routes.get(root);
        if (joined != null) {
            away(inc.handedTo(joined.incidentId(), 0, false, List.of(), List.of()), record);
        } else if (inc.story() != null || awaiting.has(root) && !inc.at().isAfter(storyAt(root))) {
            awaiting.add(root, OrderedBuffer.Waiting.then(null, new OrderedBuffer.Held(inc, Routed.intakeMillis(record.headers()))));
        } else if (awaiting.has(root)) {
            context.forward(record.withValue(Routed.awaitingWord(inc)));
        } else {
            context.forward(record.withValue(Routed.home(inc)));
        }
    }

    /** When the story of {@code root}, awaiting the grouper's word, was first observed: its first increment waiting. */
    private Instant storyAt(String root) {
        return awaiting.first(root).held().get(0).increment().at();
    }

    /**
     * The grouper's word on a story: its increments so far go where it belongs, and so will the rest. Those sent home
     * awaiting it go over from the incident processor, which hears the word first.
     */
    private void decision(Increment word, Record<String, Increment> record) {
        String root = word.incidentId();
        String incident = word.joins();
        List<OrderedBuffer.Held> held = awaiting.take(root).stream().flatMap(w -> w.held().stream()).toList();
        if (incident.equals(root)) {
            held.forEach(h -> context.forward(new Record<>(root, Routed.home(h.increment()), h.increment().at().toEpochMilli())
                    .withHeaders(Routed.intake(h.intakeMillis()))));
            return;
        }
        routes.put(root, new JoinedStory(incident));
        // Its own incident hears it too: what it counted before its original post was seen moves over from there.
        context.forward(new Record<>(root, Routed.home(word), word.at().toEpochMilli()));
        away(word.handedTo(incident, 0, false, List.of(), List.of()), record);
        for (OrderedBuffer.Held h : held) {
            away(h.increment().handedTo(incident, 0, false, List.of(), List.of()),
                    new Record<>(incident, h.increment(), h.increment().at().toEpochMilli()).withHeaders(Routed.intake(h.intakeMillis())));
        }
    }

    private void away(Increment handed, Record<String, Increment> cause) {
        context.forward(new Record<>(handed.incidentId(), Routed.away(handed), handed.at().toEpochMilli(), cause.headers()));
    }

    /** Promises the incident processors that nothing older than how far this task and the grouper have got is to come. */
    private void promise() {
        long at = Math.min(posts.lowest(), decided.lowest());
        if (at > promised) {
            promised = at;
            context.forward(new Record<>(ClassifierTopology.PROMISE_KEY,
                    Routed.away(Increment.promise(Promise.Source.ROUTER, context.taskId().partition(), Instant.ofEpochMilli(at))), at));
        }
    }
}
