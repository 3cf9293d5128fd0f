package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.Pipeline;
import org.opinionwatch.launcher.pipeline.StageMetrics;

/** {@code opinion-watch rules}: published thresholds reach a running classifier on a real broker, no restart. */
class RulesCommandTest {
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void publishedRulesApplyToTheRunningClassifier() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String prefix = "rules-" + System.nanoTime() + ".";
        Path config = Files.writeString(dir.resolve("config.yaml"), "topics: { prefix: " + prefix + " }\n");
        OpinionWatchConfig settings = ConfigLoader.load(config, Map.of()).withBootstrapServers(bootstrap);
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "thresholds:\n  major: { views: 100000, comments: 50, outlets: 9 }\n  critical: { views: 300000, comments: 500, outlets: 9 }\n");
        Path wrong = Files.writeString(dir.resolve("wrong.yaml"), "window: PT1H\n");

        try (StageMetrics metrics = StageMetrics.start(settings, false);
             Pipeline pipeline = Pipeline.start(settings, true, metrics); // posts of 2024: kept whatever their age
             KafkaProducer<String, Post> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), Topics.POST.serializer())) {
            String topic = settings.topicNames().postsRaw().name();
            producer.send(new ProducerRecord<>(topic, "p1", post(0, 60))).get();
            heartbeatAfter(settings, post(0, 60));
            pipeline.awaitClassified();
            assertEquals(List.of("MINOR"), levels(settings), "60 comments are below the configured 100");

            assertEquals(1, Main.run("rules", "--bootstrap", bootstrap, "--config", config.toString(), "--publish", wrong.toString()),
                    "a setting that is not a rule is refused");
            assertEquals(0, Main.run("rules", "--bootstrap", bootstrap, "--config", config.toString(), "--publish", rules.toString()));
            // The classifier's global thread reads the rules topic on its own: re-observe until the rules have arrived.
            long deadline = System.nanoTime() + FirstTransaction.WITHIN.toNanos();
            for (int minute = 1; !levels(settings).contains("MAJOR"); minute++) {
                assertTrue(System.nanoTime() < deadline, "the published rules did not reach the classifier");
                producer.send(new ProducerRecord<>(topic, "p1", post(minute, 60 + minute))).get();
                heartbeatAfter(settings, post(minute, 60 + minute));
                pipeline.awaitClassified();
            }
            assertEquals(List.of("MINOR", "MAJOR"), levels(settings), "above the published 50, with no restart");
        }
        assertEquals(0, Main.run("rules", "--bootstrap", bootstrap, "--config", config.toString(), "--show"));
    }

    /** Ingest's heartbeat after a post, on every partition: the classifier decides what came before it. */
    private static void heartbeatAfter(OpinionWatchConfig settings, Post post) {
        try (PostPublisher publisher = new PostPublisher(settings.topicNames(), KafkaClients.properties(settings.kafka()),
                PostBounds.archive(settings.ingest().limits()), settings.ingest().delivery())) {
            publisher.heartbeat(post.observedAt().plusMillis(1), "test");
        }
    }

    private static Post post(int minute, long comments) {
        Instant at = T0.plusSeconds(60L * minute);
        return new Post("p1", "forum", "https://bbs.example/p1", "宿舍热水", "宿舍没有热水", "a", T0, at, new Engagement(0, comments, 0, 0), false, null);
    }

    private static List<String> levels(OpinionWatchConfig settings) {
        return OutputReader.readAll(settings.kafka(), settings.topics().prefix(), List.of(settings.topicNames().severity())).stream()
                .map(OutputEvent::event).map(e -> e.path("to").asText()).toList();
    }
}
