package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opinionwatch.classifier.incident.Increment;
import org.opinionwatch.classifier.incident.Promise;

/** What the loop topics hold at an upgrade: increments of the previous format are read as they were written. */
class IncrementFormatTest {
    /** A story's first observation as the previous release wrote it to stories-by-subject (classifier-increment/2). */
    private static final String PREVIOUS = """
            {"schema":"classifier-increment/2","incidentId":"p1","subject":"school","post":{"id":"p1","url":"http://bbs/p1","title":"t"},\
            "root":true,"at":"2024-05-01T08:00:00Z","delta":{"views":0,"comments":5,"reposts":0,"likes":0},"outlets":[],"posts":1,\
            "needsReply":false,"domains":[],"categories":[],"story":"一只救了32条人命的搜救犬","joins":null,"judgement":null}""";

    @Test
    void anIncrementOfThePreviousFormatIsReadWithNoPromise() {
        Increment read = ClassifierTopology.INCREMENT.deserializer().deserialize("t", PREVIOUS.getBytes(StandardCharsets.UTF_8));
        assertEquals("p1", read.incidentId());
        assertEquals(Instant.parse("2024-05-01T08:00:00Z"), read.at());
        assertEquals(5, read.delta().comments());
        assertEquals("一只救了32条人命的搜救犬", read.story());
        assertNull(read.promise(), "a story, not a promise");
    }

    @Test
    void aPromiseGoesAndComesBack() {
        Increment promise = Increment.promise(Promise.Source.ROUTER, 2, Instant.parse("2024-05-01T09:00:00Z"));
        byte[] written = ClassifierTopology.INCREMENT.serializer().serialize("t", promise);
        assertEquals(promise, ClassifierTopology.INCREMENT.deserializer().deserialize("t", written));
    }
}
