package org.opinionwatch.launcher.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files of {@code docker/}, read as Compose, Prometheus and Grafana read them. */
final class DockerFiles {
    static final Path ROOT = Path.of("..");
    static final Path DOCKER = ROOT.resolve("docker");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    /** The stage services and the subcommand each runs. */
    static final Map<String, String> STAGES = Map.of("ingest", "ingest", "classifier", "classifier", "escalation", "escalation",
            "notifier", "notify");
    /** What an operator's docker/.env gives: the variables compose.yaml requires. */
    static final Map<String, String> DOT_ENV = Map.of(
            "OW_INGEST_PUSH_TOKEN", "push-token-0123456789abcdef",
            "OW_ESCALATION_ACTIONS_TOKEN", "actions-token-0123456789abcdef",
            "OW_CLASSIFIER_QUERY_TOKEN", "query-token-0123456789abcdef",
            "GRAFANA_ADMIN_PASSWORD", "grafana-admin-password");

    /** $$, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error} and $NAME, as Compose reads them. */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");

    private DockerFiles() {
    }

    static JsonNode yaml(String pathInDocker) {
        try {
            return YAML.readTree(DOCKER.resolve(pathInDocker).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** compose.yaml with its variables taken from {@code variables}, as {@code docker compose} runs it. */
    static JsonNode compose(Map<String, String> variables) {
        return interpolated(yaml("compose.yaml"), variables);
    }

    static JsonNode compose() {
        return compose(DOT_ENV);
    }

    static JsonNode interpolated(JsonNode node, Map<String, String> variables) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), variables));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), interpolated(f.getValue(), variables)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(interpolated(item, variables)));
            return copy;
        }
        return node;
    }

    /** A variable that is not set and has no default is an error here, where Compose would warn and use "". */
    static String interpolate(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                String operator = m.group(2);
                String value = variables.get(name);
                boolean missing = value == null || (operator != null && operator.startsWith(":") && value.isEmpty());
                if (operator != null && operator.endsWith("-")) {
                    replacement = missing ? m.group(3) : value;
                } else if (missing) {
                    throw new IllegalArgumentException("required variable " + name + " is missing"
                            + (operator == null ? "" : ": " + m.group(3)));
                } else {
                    replacement = value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A service's environment, written as a mapping or as a list of NAME=VALUE. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = service.path("environment");
        if (environment.isArray()) {
            environment.forEach(item -> {
                String[] pair = item.asText().split("=", 2);
                env.put(pair[0], pair.length == 2 ? pair[1] : "");
            });
        } else {
            environment.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        return env;
    }

    static List<String> command(JsonNode service) {
        List<String> command = new ArrayList<>();
        service.path("command").forEach(part -> command.add(part.asText()));
        return command;
    }

    /** The value after {@code option} in a command, or null. */
    static String option(List<String> command, String option) {
        int i = command.indexOf(option);
        return i < 0 || i + 1 >= command.size() ? null : command.get(i + 1);
    }

    /** A published port: short syntax [HOST_IP:]HOST_PORT:CONTAINER_PORT. */
    record Port(String hostIp, int published, int target) {
    }

    static List<Port> ports(JsonNode service) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            String[] parts = port.asText().split(":");
            if (parts.length == 3) {
                ports.add(new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            } else if (parts.length == 2) {
                ports.add(new Port("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            } else {
                throw new IllegalArgumentException("a port of this stack publishes a fixed host port: " + port);
            }
        }
        return ports;
    }

    /** A bind mount of the short syntax SOURCE:TARGET[:MODE]. */
    record Mount(String source, String target, String mode) {
    }

    static List<Mount> mounts(JsonNode service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            mounts.add(new Mount(parts[0], parts[1], parts.length > 2 ? parts[2] : "rw"));
        }
        return mounts;
    }

    /** Where {@code target} (or the directory above it) is mounted from, as a host path. */
    static Path hostPathOf(JsonNode service, String target) {
        for (Mount mount : mounts(service)) {
            if (target.equals(mount.target()) || target.startsWith(mount.target() + "/")) {
                if (!mount.source().startsWith(".")) {
                    throw new IllegalArgumentException(target + " is in the volume " + mount.source() + ", not a file of the repository");
                }
                return DOCKER.resolve(mount.source()).resolve(target.substring(mount.target().length()).replaceFirst("^/", "")).normalize();
            }
        }
        throw new IllegalArgumentException(target + " is not mounted");
    }
}
