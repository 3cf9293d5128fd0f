package org.opinionwatch.classifier.incident;

import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.serde.CompactSerde;
import org.opinionwatch.contract.topic.Topics;

/**
 * An increment's fields as compact bytes ({@link CompactSerde}), in the order of the record's components. People's
 * judgement, rare on this path, is nested as its {@code action/2} JSON rather than laid out again here.
 */
public final class IncrementFormat implements CompactSerde.Format<Increment> {
    public static final IncrementFormat INSTANCE = new IncrementFormat();

    private IncrementFormat() {
    }

    @Override
    public void write(Increment i, CompactSerde.Writer out) {
        out.text(i.incidentId());
        out.text(i.subject());
        out.postRef(i.post());
        out.bool(i.root());
        out.instant(i.at());
        if (out.present(i.delta())) {
            out.number(i.delta().views());
            out.number(i.delta().comments());
            out.number(i.delta().reposts());
            out.number(i.delta().likes());
        }
        out.texts(i.outlets());
        out.number(i.posts());
        out.bool(i.needsReply());
        out.texts(i.domains());
        out.texts(i.categories());
        out.text(i.story());
        out.text(i.joins());
        if (out.present(i.judgement())) {
            out.bytes(Topics.ACTION.serialize(null, i.judgement()));
        }
        if (out.present(i.promise())) {
            out.constant(i.promise().source());
            out.number(i.promise().task());
        }
        out.instant(i.movedAt());
    }

    @Override
    public Increment read(CompactSerde.Reader in) {
        String incidentId = in.text();
        String subject = in.text();
        PostRef post = in.postRef();
        boolean root = in.bool();
        var at = in.instant();
        Engagement delta = in.bool() ? new Engagement(in.number(), in.number(), in.number(), in.number()) : null;
        var outlets = in.texts();
        long posts = in.number();
        boolean needsReply = in.bool();
        var domains = in.texts();
        var categories = in.texts();
        String story = in.text();
        String joins = in.text();
        var judgement = in.bool() ? Topics.ACTION.deserialize(null, in.bytes()) : null;
        Promise promise = in.bool() ? new Promise(in.constant(Promise.Source.class), Math.toIntExact(in.number())) : null;
        var movedAt = in.instant();
        return new Increment(incidentId, subject, post, root, at, delta, outlets, posts, needsReply, domains, categories, story, joins,
                judgement, promise, movedAt);
    }
}
