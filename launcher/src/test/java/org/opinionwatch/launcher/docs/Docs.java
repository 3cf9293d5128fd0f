package org.opinionwatch.launcher.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The project's documents as a reader finds them in a checkout, and the settings they describe. */
public final class Docs {
    /** The checkout's root: tests run in the launcher module's directory. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Set it ({@code -Dow.docs.write=true}) to rewrite the generated documents instead of comparing them. */
    static final boolean WRITE = Boolean.getBoolean("ow.docs.write");

    private Docs() {
    }

    /** README.md, BENCHMARKS.md and every file of docs/. */
    static Map<Path, String> all() {
        Map<Path, String> docs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            List<Path> paths = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("BENCHMARKS.md")));
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(paths::add);
            for (Path p : paths) {
                docs.put(ROOT.relativize(p), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /**
     * Every setting of the bundled defaults by its key path, in file order: a mapping's keys are settings of their
     * own, while a list or an empty mapping (free-form: subjects, channels, lexicons) is one setting.
     */
    static Map<String, JsonNode> settings() {
        try (InputStream in = Docs.class.getClassLoader().getResourceAsStream("opinion-watch-defaults.yaml")) {
            Map<String, JsonNode> settings = new LinkedHashMap<>();
            walk(new ObjectMapper(new YAMLFactory()).readTree(in), "", settings);
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(JsonNode node, String path, Map<String, JsonNode> settings) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(f -> walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), settings));
        } else {
            settings.put(path, node);
        }
    }

    /** A default as the configuration reference writes it: text as it is, anything else as compact JSON. */
    static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText().isEmpty() ? "\"\"" : value.asText();
        }
        return value.toString();
    }
}
