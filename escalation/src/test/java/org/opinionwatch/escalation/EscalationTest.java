package org.opinionwatch.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        new StreamsConfig(p); // every value is valid
    }

    @Test
    void theStateIsKeptInTheConfiguredDirectoryAcrossStarts() {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of("OW_STREAMS_STATE_DIR", "/data/streams"));
        assertEquals("/data/streams", Escalation.streamsProperties(config).get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(Escalation.streamsProperties(config), Escalation.streamsProperties(config), "the same settings at every start");
    }
}
