package org.opinionwatch.launcher.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

class PipelineTest {
    @Test
    void theClassifierGetsASecondStreamThreadWhenThereIsASecondProcessor() {
        assertEquals(1, Pipeline.classifierThreads(1));
        assertEquals(2, Pipeline.classifierThreads(2));
        assertEquals(2, Pipeline.classifierThreads(16));
    }

    @Test
    void itsClassifierRunsThatManyStreamThreadsAndStopsAsItStartsWithoutWaitingForTheGroup() {
        OpinionWatchConfig config = ConfigLoader.load(null, Map.of()).inNamespace("pipeline-" + System.nanoTime() + ".")
                .withBootstrapServers(EmbeddedKafka.shared().bootstrapServers());
        long closing;
        try (StageMetrics metrics = StageMetrics.start(config, false);
             Pipeline pipeline = Pipeline.start(config, false, metrics)) {
            assertEquals(Pipeline.CLASSIFIER_THREADS, streamThreads(metrics.classifier()).size(), streamThreads(metrics.classifier()).toString());
            assertEquals(1, streamThreads(metrics.escalation()).size(), streamThreads(metrics.escalation()).toString());
            closing = System.nanoTime();
        }
        // Its threads still joining the group: one left behind by the other would wait for the session timeout, 45 s.
        Duration closed = Duration.ofNanos(System.nanoTime() - closing);
        assertTrue(closed.compareTo(Duration.ofSeconds(30)) < 0, "stopped in " + closed);
    }

    /** The stream threads a stage's Kafka Streams metrics name. */
    private static Set<String> streamThreads(MetricsEndpoint stage) {
        return stage.registry().getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.stream.thread."))
                .map(m -> m.getId().getTag("thread.id")).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
