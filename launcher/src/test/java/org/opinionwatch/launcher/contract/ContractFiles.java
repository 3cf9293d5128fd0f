package org.opinionwatch.launcher.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opinionwatch.contract.serde.Json;

/** The published contract as its readers read it: {@code contract/asyncapi.yaml} and the JSON Schemas of {@code contract/schemas}. */
final class ContractFiles {
    static final Path CONTRACT = Path.of("..", "contract");
    static final Path SCHEMAS = CONTRACT.resolve("schemas");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The prefix every channel's address starts with: the namespace parameter. */
    static final String PREFIX = "{prefix}";
    /** JSON Schema 2020-12, with formats (date-time, duration) checked rather than only noted. */
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    /**
     * A channel of the AsyncAPI document.
     *
     * @param topic its topic's name without the namespace
     * @param messages its messages by name ({@code post/1}): the payload's schema file, or null for one whose
     *     format is not published
     * @param keys the Kafka binding's schema of the record key, by message (posts.raw: a post's, a heartbeat's)
     */
    record Channel(String name, String topic, Map<String, Path> messages, Map<String, JsonNode> keys, JsonNode node) {
    }

    private ContractFiles() {
    }

    static JsonNode asyncApi() {
        try {
            return YAML.readTree(CONTRACT.resolve("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The channels by topic name (without the namespace). */
    static Map<String, Channel> channels() {
        JsonNode doc = asyncApi();
        Map<String, Channel> channels = new LinkedHashMap<>();
        doc.path("channels").fields().forEachRemaining(c -> {
            String address = c.getValue().path("address").asText();
            Map<String, Path> messages = new LinkedHashMap<>();
            Map<String, JsonNode> keys = new LinkedHashMap<>();
            for (JsonNode ref : c.getValue().path("messages")) {
                JsonNode message = resolve(doc, ref);
                JsonNode schemaRef = message.at("/payload/schema/$ref");
                String name = message.path("name").asText();
                messages.put(name, schemaRef.isMissingNode() ? null : CONTRACT.resolve(schemaRef.asText()).normalize());
                keys.put(name, message.at("/bindings/kafka/key"));
            }
            String topic = address.startsWith(PREFIX) ? address.substring(PREFIX.length()) : address;
            channels.put(topic, new Channel(c.getKey(), topic, messages, keys, c.getValue()));
        });
        return channels;
    }

    /** A Reference Object's target within the document. */
    static JsonNode resolve(JsonNode doc, JsonNode ref) {
        String pointer = ref.path("$ref").asText();
        return pointer.startsWith("#") ? doc.at(pointer.substring(1)) : ref;
    }

    static List<Path> schemaFiles() {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".schema.json")).sorted().map(Path::normalize).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return Json.TOLERANT.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The schema of a file made exact: every object schema that lists its properties and leaves others open is closed
     * to others (but the conditions of allOf, if and then, which only add to an object closed already). The published
     * schemas leave them open (readers ignore fields they do not know, and a field may be added within a version);
     * what this release writes must have no field its schema does not document.
     */
    static Schema exact(Path file) {
        JsonNode schema = read(file).deepCopy();
        close(schema);
        return REGISTRY.getSchema(schema);
    }

    private static final java.util.Set<String> CONDITIONS = java.util.Set.of("allOf", "if", "then", "else", "not", "dependentSchemas");

    private static void close(JsonNode node) {
        if (node.isObject()) {
            if (node.has("properties") && !node.has("additionalProperties")) {
                ((ObjectNode) node).put("additionalProperties", false);
            }
            List<JsonNode> children = new ArrayList<>();
            node.fields().forEachRemaining(f -> {
                if (!CONDITIONS.contains(f.getKey()) && !f.getKey().equals("properties")) {
                    children.add(f.getValue());
                }
            });
            node.path("properties").forEach(children::add);
            children.forEach(ContractFiles::close);
        } else if (node.isArray()) {
            node.forEach(ContractFiles::close);
        }
    }
}
