package org.opinionwatch.classifier.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.opinionwatch.classifier.severity.SeverityRules;
import org.opinionwatch.classifier.window.TrailingWindow;
import org.opinionwatch.classifier.window.WindowEntry;
import org.opinionwatch.contract.event.IncidentState;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.SeverityChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each incident's trailing window and level. An increment moves the window to its instant and adds to it;
 * when the window's metrics call for a higher level, one severity change is emitted at that instant.
 * Levels only rise here: going down needs hysteresis and cool-down, which the plan's later stages add.
 */
final class IncidentProcessor implements Processor<String, Increment, String, IncidentUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);
    private static final int TOP_POSTS = 3;

    private final Duration window;
    private final SeverityRules rules;
    private ProcessorContext<String, IncidentUpdate> context;
    private KeyValueStore<String, IncidentRecord> incidents;
    private KeyValueStore<String, WindowEntry> entries;

    IncidentProcessor(Duration window, SeverityRules rules) {
        this.window = window;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, IncidentUpdate> context) {
        this.context = context;
        this.incidents = context.getStateStore(ClassifierTopology.INCIDENT_STORE);
        this.entries = context.getStateStore(ClassifierTopology.WINDOW_ENTRY_STORE);
    }

    @Override
    public void process(Record<String, Increment> record) {
        Increment inc = record.value();
        String id = record.key();
        long at = inc.at().toEpochMilli();
        IncidentRecord incident = incidents.get(id);
        TrailingWindow current = incident == null ? TrailingWindow.startingAt(at) : incident.window();
        if (current.isLate(at, window)) {
            // Older than the whole window: it can no longer change any level. Kept in the log for the record.
            LOG.warn("incident {}: increment at {} is older than the window ending {}; not counted", id, inc.at(), Instant.ofEpochMilli(current.end()));
            return;
        }
        List<String> outlets = inc.outlet() == null ? List.of() : List.of(inc.outlet());
        TrailingWindow moved = current.add(at, new WindowEntry(inc.delta().views(), inc.delta().comments(), outlets),
                window, new StoreEntryLog(entries, id));

        String subject = incident != null && incident.isOpen() ? incident.subject() : inc.subject();
        Level level = incident == null ? Level.NONE : incident.level();
        Instant openedAt = incident == null ? null : incident.openedAt();
        long posts = (incident == null ? 0 : incident.posts()) + (inc.firstObservation() ? 1 : 0);
        PostRef rootPost = inc.root() ? inc.post() : incident == null ? null : incident.rootPost();
        List<IncidentRecord.TopPost> top = topPosts(incident, inc);

        SeverityChange change = null;
        if (subject != null) {
            openedAt = openedAt == null ? inc.at() : openedAt;
            Level called = rules.levelFor(moved.metrics());
            if (called.isAbove(level)) {
                change = new SeverityChange(id, subject, level, called, rules.crossed(called, moved.metrics()),
                        moved.metrics(), window, inc.at(), inc.at(), rootPost,
                        top.stream().map(IncidentRecord.TopPost::post).toList());
                level = called;
            }
        }
        incidents.put(id, new IncidentRecord(subject, level, openedAt, moved, posts, rootPost, top));
        if (subject != null) {
            IncidentState state = new IncidentState(id, subject, level, moved.metrics(), openedAt,
                    Instant.ofEpochMilli(moved.end()), rootPost, posts);
            context.forward(new Record<>(id, new IncidentUpdate(state, change), at));
        }
    }

    /** The incident's posts with the most engagement so far (all time, not windowed), highest first. */
    private static List<IncidentRecord.TopPost> topPosts(IncidentRecord incident, Increment inc) {
        List<IncidentRecord.TopPost> top = new ArrayList<>(incident == null ? List.of() : incident.topPosts());
        long gained = inc.delta().views() + inc.delta().comments() + inc.delta().reposts() + inc.delta().likes();
        long total = gained;
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).post().id().equals(inc.post().id())) {
                total += top.remove(i).engagement();
                break;
            }
        }
        top.add(new IncidentRecord.TopPost(inc.post(), total));
        top.sort(Comparator.comparingLong(IncidentRecord.TopPost::engagement).reversed());
        return List.copyOf(top.subList(0, Math.min(TOP_POSTS, top.size())));
    }
}
