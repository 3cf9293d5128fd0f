package org.opinionwatch.launcher.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Heartbeat;
import org.opinionwatch.contract.serde.JsonSerde;
import org.opinionwatch.contract.topic.Topic;
import org.opinionwatch.contract.topic.Topics;

/**
 * The published contract against the code: the AsyncAPI document is AsyncAPI 3.0, names every topic of {@link Topics}
 * with its namespace prefix, its key and the schemas its serde reads; every schema file is a JSON Schema of the
 * schema it names, and a message of the document; every record of the contract has its schema file. What the records
 * hold is checked against the schemas by {@link ContractReplayTest}.
 */
class ContractFilesTest {
    private static final Path EVENTS = Path.of("..", "contract", "src", "main", "java", "org", "opinionwatch", "contract", "event");

    @Test
    void theAsyncApiDocumentIsAsyncApi300() {
        Schema spec = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:asyncapi-spec/asyncapi-3.0.0.json"));
        List<Error> errors = spec.validate(ContractFiles.asyncApi());
        assertEquals(List.of(), errors.stream().map(Error::toString).toList());
        assertEquals("3.0.0", ContractFiles.asyncApi().path("asyncapi").asText());
    }

    @Test
    void everyTopicIsAChannelUnderTheNamespaceWithItsKeyAndTheSchemasItsSerdeReads() {
        Map<String, ContractFiles.Channel> channels = ContractFiles.channels();
        Set<String> topics = new TreeSet<>();
        for (Topic<String, ?> topic : Topics.withPrefix("").all()) {
            topics.add(topic.name());
            ContractFiles.Channel channel = channels.get(topic.name());
            assertNotNull(channel, "asyncapi.yaml has no channel for " + topic.name());
            assertEquals(ContractFiles.PREFIX + topic.name(), channel.node().path("address").asText());
            assertEquals("#/components/parameters/prefix", channel.node().at("/parameters/prefix/$ref").asText(), topic.name());
            assertTrue(channel.keys().values().stream().noneMatch(JsonNode::isMissingNode), topic.name() + ": its messages name their key");
            assertEquals(topic.compacted(), channel.node().at("/bindings/kafka/topicConfiguration/cleanup.policy/0").asText().equals("compact"),
                    topic.name() + ": compacted as the topic is");
            if (topic.valueSerde() instanceof JsonSerde<?> serde) {
                Set<String> reads = new TreeSet<>(serde.reads());
                if (topic.name().equals("posts.raw")) {
                    reads.add(Heartbeat.SCHEMA); // ingest's heartbeats among the posts, which the classifier tells apart
                }
                assertEquals(reads, new TreeSet<>(channel.messages().keySet()), topic.name() + ": the schemas its serde reads");
                channel.messages().forEach((name, file) -> assertNotNull(file, name + " on " + topic.name() + " has its schema"));
            } else {
                assertTrue(channel.messages().values().stream().allMatch(f -> f == null), topic.name() + ": internal, no published schema");
                assertTrue(channel.node().path("description").asText().contains("Internal"), topic.name() + " says it is internal");
            }
        }
        assertEquals(topics, new TreeSet<>(channels.keySet()), "no channel for a topic that does not exist");
        assertTrue(channels.get("clock").keys().get(Heartbeat.SCHEMA).path("type").asText().equals("null"), "heartbeats have no key");
        assertTrue(channels.get("posts.raw").keys().get(Heartbeat.SCHEMA).path("type").asText().equals("null"), "not among the posts either");
    }

    @Test
    void everySchemaFileIsAJsonSchemaOfTheSchemaItNamesAndAMessageOfTheDocument() throws IOException {
        Schema metaSchema = ContractFiles.REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        Set<Path> named = new TreeSet<>();
        ContractFiles.channels().values().forEach(c -> c.messages().forEach((name, file) -> {
            if (file != null) {
                named.add(file);
                assertEquals(name, ContractFiles.read(file).at("/properties/schema/const").asText(), file + " is the schema of " + name);
            }
        }));
        List<Path> files = ContractFiles.schemaFiles();
        assertTrue(files.size() >= 13, files.toString());
        for (Path file : files) {
            JsonNode schema = ContractFiles.read(file);
            String name = schema.at("/properties/schema/const").asText();
            assertEquals(name.replace('/', '-') + ".schema.json", file.getFileName().toString(), "<schema>-<version>.schema.json");
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), file.toString());
            assertEquals("urn:opinion-watch:schema:" + name.replace('/', ':'), schema.path("$id").asText(), file.toString());
            assertEquals(List.of(), metaSchema.validate(schema).stream().map(Error::toString).toList(), file + " is a JSON Schema 2020-12");
            assertTrue(schema.path("required").toString().contains("\"schema\""), file + ": the schema field is required");
            assertFalse(schema.path("description").asText().isBlank(), file + " says where it is written");
            assertTrue(named.contains(file), file + " is the payload of a message of asyncapi.yaml");
        }
        assertEquals(Set.copyOf(files), named, "every message's schema is a file");
        assertEquals(false, ContractFiles.read(ContractFiles.SCHEMAS.resolve("post-1.schema.json")).path("additionalProperties").asBoolean(true),
                "post/1 is strict, as the push endpoint reads it");
    }

    /** Each record type of the contract (a class with its SCHEMA) has a schema file: a new one cannot go unpublished. */
    @Test
    void everyRecordOfTheContractHasItsSchemaFile() throws Exception {
        List<Class<?>> records = new ArrayList<>();
        try (Stream<Path> sources = Files.list(EVENTS)) {
            for (Path source : sources.sorted().toList()) {
                records.add(Class.forName("org.opinionwatch.contract.event." + source.getFileName().toString().replace(".java", "")));
            }
        }
        records.addAll(List.of(OpinionWatchConfig.class.getDeclaredClasses()));
        Set<String> schemas = new TreeSet<>();
        for (Class<?> type : records) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getName().equals("SCHEMA") && Modifier.isStatic(field.getModifiers())) {
                    schemas.add((String) field.get(null));
                }
            }
        }
        assertTrue(schemas.containsAll(Set.of("post/1", "notification/2", "action/2", "classifier-rules/1")), schemas.toString());
        for (String schema : schemas) {
            assertTrue(Files.isRegularFile(ContractFiles.SCHEMAS.resolve(schema.replace('/', '-') + ".schema.json")), schema + " has no schema file");
        }
    }
}
