package org.opinionwatch.launcher.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EventTimeOrderTest {
    private final List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();

    private void write(String incident, String at, String what) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("incidents.severity", 2, written.size(), incident.getBytes(UTF_8),
                what.getBytes(UTF_8));
        written.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), Instant.parse(at).toEpochMilli(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), r.headers(), r.leaderEpoch()));
    }

    private List<String> merged() {
        return EventTimeOrder.merged(written).stream().map(r -> new String(r.key(), UTF_8) + " " + new String(r.value(), UTF_8)).toList();
    }

    @Test
    void aSubsidingFiredAfterALaterRecordOfAnotherIncidentComesBeforeIt() {
        // As the classifier wrote partition 2 of the sample: 1540's subsiding of 10 June after 880's change of 11 June.
        write("880", "2013-06-09T11:32:19Z", "MINOR -> NONE");
        write("880", "2013-06-11T05:51:35Z", "NONE -> MINOR");
        write("1540", "2013-06-10T04:34:43Z", "GENERAL -> NONE");
        write("880", "2013-06-15T07:12:00Z", "MINOR -> NONE");

        assertEquals(List.of("880 MINOR -> NONE", "1540 GENERAL -> NONE", "880 NONE -> MINOR", "880 MINOR -> NONE"), merged());
    }

    @Test
    void eachIncidentKeepsTheOrderItsChangesWereDecidedIn() {
        // A story's incident rose to MAJOR, then the grouper said it had joined another at its first post: the
        // change to NONE is dated then, but decided last. Its levels must still chain: MINOR, MAJOR, NONE.
        write("1710", "2013-01-28T10:06:00Z", "NONE -> MINOR");
        write("1710", "2013-01-28T13:51:00Z", "MINOR -> MAJOR");
        write("900", "2013-01-28T12:00:00Z", "NONE -> MINOR");
        write("1710", "2013-01-28T10:06:00Z", "MAJOR -> NONE (joined incident 1670)");

        assertEquals(List.of("1710 NONE -> MINOR", "900 NONE -> MINOR", "1710 MINOR -> MAJOR", "1710 MAJOR -> NONE (joined incident 1670)"),
                merged());
    }

    @Test
    void atEqualInstantsIncidentsGoInKeyOrderWhateverTheOrderWritten() {
        write("b", "2013-01-01T00:00:00Z", "1");
        write("a", "2013-01-01T00:00:00Z", "2");
        assertEquals(List.of("a 2", "b 1"), merged());
    }
}
