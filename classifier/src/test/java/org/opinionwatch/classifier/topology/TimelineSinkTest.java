package org.opinionwatch.classifier.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.TimelineEntry;
import org.opinionwatch.contract.topic.Topics;

/**
 * The state of a decision is written once, for {@code incidents} and the timeline alike: both records are byte for
 * byte what the contract's serdes write for the same values, with a level change and a forecast or without.
 */
class TimelineSinkTest {
    @Test
    void decisionsAreWrittenAsTheContractsSerdesWriteThem() {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of());
        Topics topics = config.topicNames();
        try (ClassifierDriver d = new ClassifierDriver(config)) {
            var timeline = d.driver.createOutputTopic(topics.timeline().name(), new StringDeserializer(), new ByteArrayDeserializer());
            var incidents = d.driver.createOutputTopic(topics.incidents().name(), new StringDeserializer(), new ByteArrayDeserializer());
            // Comments growing by the hour: a new incident, forecasts of MAJOR and CRITICAL, and the rises themselves.
            for (int hour = 0; hour < 12; hour++) {
                d.observe("p1", ClassifierDriver.T0.plus(Duration.ofHours(hour)), 60L * hour * hour);
            }
            d.heartbeat(ClassifierDriver.T0.plus(Duration.ofDays(1)));

            List<TestRecord<String, byte[]>> entries = timeline.readRecordsToList();
            long decided = 0, changed = 0, forecast = 0;
            for (TestRecord<String, byte[]> r : entries) {
                TimelineEntry entry = Topics.TIMELINE.deserialize("", r.value());
                assertArrayEquals(Topics.TIMELINE.serialize("", entry), r.value(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                decided += entry.state() != null ? 1 : 0;
                changed += entry.change() != null ? 1 : 0;
                forecast += entry.forecast() != null ? 1 : 0;
            }
            assertTrue(decided > 5 && changed >= 2 && forecast >= 1, decided + " states, " + changed + " changes, " + forecast + " forecasts");
            for (TestRecord<String, byte[]> r : incidents.readRecordsToList()) {
                assertArrayEquals(Topics.INCIDENT_STATE.serialize("", Topics.INCIDENT_STATE.deserialize("", r.value())), r.value());
            }
        }
    }
}
