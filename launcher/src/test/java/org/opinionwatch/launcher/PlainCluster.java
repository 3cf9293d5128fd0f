package org.opinionwatch.launcher;

import java.util.Map;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;

/** The kafka section of the defaults at another address: how the tests' clients reach a plaintext EmbeddedKafka. */
public final class PlainCluster {
    private PlainCluster() {
    }

    public static OpinionWatchConfig.Kafka at(String bootstrapServers) {
        return ConfigLoader.load(null, Map.of()).withBootstrapServers(bootstrapServers).kafka();
    }
}
