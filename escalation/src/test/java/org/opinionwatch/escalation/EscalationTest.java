package org.opinionwatch.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;

class EscalationTest {
    @Test
    void streamsPropertiesFollowTheConfiguration() {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of()).inNamespace("replay-1.").withBootstrapServers("broker:9092");
        Properties p = Escalation.streamsProperties(config);
        assertEquals("replay-1.opinion-watch-escalation", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("broker:9092", p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(1000L, p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
        new StreamsConfig(p); // every value is valid
    }

    @Test
    void everyInstanceHasItsOwnStateDirectory() {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of());
        Path first = Path.of((String) Escalation.streamsProperties(config).get(StreamsConfig.STATE_DIR_CONFIG));
        Path second = Path.of((String) Escalation.streamsProperties(config).get(StreamsConfig.STATE_DIR_CONFIG));
        assertNotEquals(first, second);
        assertTrue(first.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), first.toString());
        assertTrue(first.toString().contains("opinion-watch-escalation"), first.toString());
    }
}
