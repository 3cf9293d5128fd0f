package org.opinionwatch.launcher.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.actions.ActionPublisher;
import org.opinionwatch.ingest.archive.ArchiveFormat;
import org.opinionwatch.launcher.Main;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.launcher.pipeline.StageMetrics;
import org.opinionwatch.launcher.replay.Replay;
import org.opinionwatch.notifier.Notifier;

/**
 * The bundled sample replayed through every stage and the webhook notifier on a real broker, with an office on time
 * (its actions on {@code actions}), a silence set and removed, and rules published: every record on every topic of
 * the contract, read back as written, is one of its channel's messages in asyncapi.yaml, has the key the document
 * says, and validates against its schema made exact (no field the schema does not document). So a change of the
 * records cannot drift from the published contract.
 */
class ContractReplayTest {
    private static final Path SAMPLE = Path.of("..", "samples", "weibo-ced");

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void everyRecordAReplayWritesIsItsChannelsMessageAndValidatesAgainstItsSchema() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        Path configFile = Files.writeString(dir.resolve("config.yaml"), "topics: { prefix: contract-" + System.nanoTime() + ". }\n");
        OpinionWatchConfig config = ConfigLoader.load(configFile, Map.of()).withOffice(OpinionWatchConfig.SimulatedOffice.ON_TIME)
                .withBootstrapServers(bootstrap);
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                thresholds:
                  major: { views: 1000, comments: 100, outlets: 1 }
                  critical: { views: 3000, comments: 500, outlets: 5 }
                subjects:
                  - { id: canteen, name: 食堂, keywords: [食堂, 饭菜], exclude: [招聘], allOf: [[学校, 学生]] }
                  - { id: all, name: Everything watched, catchAll: true }
                heightenedWatch:
                  - { name: gaokao, from: "2025-06-06T16:00:00Z", to: "2025-06-10T16:00:00Z", factor: 0.5 }
                """);
        Topics topics = config.topicNames();
        List<OutputEvent> events;
        try (StageMetrics metrics = StageMetrics.start(config, false);
             Notifier notifier = Notifier.start(config, metrics.notifier().registry())) {
            Replay.Result result = Replay.run(config, ArchiveFormat.WEIBO_CED, SAMPLE, metrics, r -> {
                Instant end = r.ingest().lastEventTime();
                try (ActionPublisher actions = new ActionPublisher(config, ActionPublisher.TIMEOUT)) {
                    Action silence = new Action(null, null, Action.Kind.SILENCE, null, null, null,
                            new Action.Silence(null, Action.Silence.Target.SUBJECT, "all", end.plus(Duration.ofDays(1))), "李老师", "食堂整改期间", end);
                    actions.publish(silence);
                    actions.publish(new Action(null, null, Action.Kind.UNSILENCE, null, null, null, Action.Silence.of(silence.silence().id()),
                            "李老师", "", end.plusSeconds(60)));
                }
                assertEquals(0, Main.run("rules", "--bootstrap", bootstrap, "--config", configFile.toString(), "--publish", rules.toString()));
            });
            assertTrue(result.count("notifications") > 0);
            // The notifier has caught up when it has a delivery for every notification.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (read(config, topics.deliveries()).size() < result.count("notifications")) {
                assertTrue(System.nanoTime() < deadline, "the notifier did not deliver every notification");
                Thread.sleep(250);
            }
            events = read(config, topics.all().toArray(Topic[]::new));
        }

        Map<String, ContractFiles.Channel> channels = ContractFiles.channels();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        List<String> faults = new ArrayList<>();
        for (OutputEvent e : events) {
            ContractFiles.Channel channel = channels.get(e.topic());
            String schema = e.event().path("schema").asText();
            seen.merge(e.topic() + " " + schema, 1, Integer::sum);
            if (!channel.messages().containsKey(schema)) {
                faults.add(e.topic() + ": " + schema + " is not one of its messages " + channel.messages().keySet());
                continue;
            }
            JsonNode key = e.key() == null ? NullNode.getInstance() : TextNode.valueOf(e.key());
            List<Error> keyErrors = ContractFiles.REGISTRY.getSchema(channel.keys().get(schema)).validate(key);
            if (!keyErrors.isEmpty()) {
                faults.add(e.topic() + " key " + key + ": " + keyErrors);
            }
            Path file = channel.messages().get(schema);
            if (file != null) {
                List<Error> errors = schemas.computeIfAbsent(schema, s -> ContractFiles.exact(file)).validate(e.event());
                if (!errors.isEmpty()) {
                    faults.add(e.topic() + " " + schema + " (key " + e.key() + "): " + errors + " in " + e.event());
                }
            }
        }
        assertEquals(List.of(), faults.stream().limit(20).toList(), faults.size() + " records off the contract; seen: " + seen);

        // Every topic had records of the schema its stage writes, so that none went unchecked.
        for (Topic<String, ?> topic : topics.all()) {
            String name = topic.name().substring(topics.prefix().length());
            String written = topic.valueSerde() instanceof JsonSerde<?> serde ? serde.schema() : "classifier-increment/3";
            // A healthy run gives the stages nothing to dead-letter; the handover topic has the routers' promises at
            // least; the clock topic has the escalation's heartbeats only while a live ingest is silent.
            if (!Set.of("classifier.dlq", "escalation.dlq", "clock").contains(name)) {
                assertTrue(seen.containsKey(name + " " + written), name + " had no " + written + " record: " + seen);
            }
        }
        assertTrue(seen.containsKey("posts.raw " + Heartbeat.SCHEMA), "the replay's heartbeats among the posts: " + seen);
        assertFalse(seen.keySet().stream().anyMatch(k -> k.endsWith(" ")), "every record names its schema: " + seen);
    }

    @SafeVarargs
    private static List<OutputEvent> read(OpinionWatchConfig config, Topic<String, ?>... topics) {
        return OutputReader.readAll(config.kafka(), config.topicNames().prefix(), List.of(topics));
    }
}
