package org.opinionwatch.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opinionwatch.launcher.ops.DockerFiles.DOCKER;
import static org.opinionwatch.launcher.ops.DockerFiles.DOT_ENV;
import static org.opinionwatch.launcher.ops.DockerFiles.ROOT;
import static org.opinionwatch.launcher.ops.DockerFiles.STAGES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.launcher.Main;
import org.opinionwatch.launcher.Tools;
import org.w3c.dom.Document;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docker/compose.yaml and docker/Dockerfile, checked without Docker: against the Compose Specification's schema, and
 * against the code and programs they run (subcommands and their options, config keys, ports, the jar the build makes,
 * the Alertmanager of the tests).
 */
class ComposeFileTest {
    /** Each stage's metrics port, as its config resolves it. */
    static final Map<String, ToIntFunction<OpinionWatchConfig>> METRICS_PORT = Map.of(
            "ingest", c -> c.ingest().metricsPort(),
            "classifier", c -> c.classifier().metricsPort(),
            "escalation", c -> c.escalation().metricsPort(),
            "notifier", c -> c.notifier().metricsPort());
    private static final ObjectMapper CONFIG_WRITER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    @Test
    void followsTheComposeSpecification() {
        List<Error> errors = composeSchema().validate(DockerFiles.yaml("compose.yaml"));

        assertTrue(errors.isEmpty(), () -> "compose.yaml does not follow the Compose Specification: " + errors);
    }

    @Test
    void theSchemaRefusesWhatComposeRefuses() {
        ObjectNode badCondition = (ObjectNode) DockerFiles.yaml("compose.yaml");
        ((ObjectNode) badCondition.at("/services/ingest/depends_on/topics")).put("condition", "service_finished");
        ObjectNode misspelt = (ObjectNode) DockerFiles.yaml("compose.yaml");
        ((ObjectNode) misspelt.at("/services/kafka/healthcheck")).put("intervall", "10s");

        assertFalse(composeSchema().validate(badCondition).isEmpty(), "an unknown depends_on condition");
        assertFalse(composeSchema().validate(misspelt).isEmpty(), "an unknown healthcheck key");
    }

    @Test
    void composeRefusesToStartWithoutTheSecretsOfDotEnv() {
        for (String name : DOT_ENV.keySet()) {
            Map<String, String> without = new HashMap<>(DOT_ENV);
            without.remove(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DockerFiles.compose(without), name);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("docker/.env"), e.getMessage());
        }
    }

    @Test
    void everyOpinionWatchVariableIsAConfigKeyWhoseValueTheConfigTakes() {
        Map<String, String> keyOf = new HashMap<>();
        configKeys(defaults(), "", keyOf);
        JsonNode services = DockerFiles.compose().path("services");
        Set<String> configured = new TreeSet<>();
        for (String name : opinionWatchServices(services)) {
            JsonNode service = services.path(name);
            Map<String, String> env = DockerFiles.environment(service);
            JsonNode loaded = CONFIG_WRITER.valueToTree(config(service));
            for (var variable : env.entrySet()) {
                if (!variable.getKey().startsWith("OW_")) {
                    continue;
                }
                String key = keyOf.get(variable.getKey());
                assertNotNull(key, name + ": " + variable.getKey() + " is not the variable of any config key");
                assertEquals(variable.getValue(), loaded.at("/" + key.replace('.', '/')).asText(), name + ": " + variable.getKey());
                configured.add(name);
            }
        }
        assertEquals(new TreeSet<>(STAGES.keySet()), configured, "each stage's own settings come from its environment");
    }

    @Test
    void stagesPublishTheMetricsPortOfTheirConfig() {
        JsonNode services = DockerFiles.compose().path("services");
        for (String stage : STAGES.keySet()) {
            JsonNode service = services.path(stage);
            int port = METRICS_PORT.get(stage).applyAsInt(config(service));

            assertTrue(DockerFiles.ports(service).contains(new DockerFiles.Port("127.0.0.1", port, port)),
                    stage + " publishes its metrics port " + port + " on this host only: " + DockerFiles.ports(service));
        }
    }

    @Test
    void theEndpointsArePublishedOnTheirConfiguredPorts() {
        JsonNode services = DockerFiles.compose().path("services");
        OpinionWatchConfig ingest = config(services.path("ingest"));
        OpinionWatchConfig escalation = config(services.path("escalation"));
        OpinionWatchConfig classifier = config(services.path("classifier"));
        int queryPort = classifier.classifier().query().port();

        assertTrue(ingest.ingest().push().enabled(), "the push endpoint is on");
        assertTrue(DockerFiles.ports(services.path("ingest")).contains(new DockerFiles.Port("", ingest.ingest().push().port(), ingest.ingest().push().port())));
        assertTrue(escalation.escalation().actions().enabled(), "the actions endpoint is on");
        assertTrue(DockerFiles.ports(services.path("escalation")).contains(
                new DockerFiles.Port("", escalation.escalation().actions().port(), escalation.escalation().actions().port())));
        assertTrue(DockerFiles.ports(services.path("classifier")).contains(new DockerFiles.Port("127.0.0.1", queryPort, queryPort)),
                "the query endpoint on this host only");
        assertFalse(classifier.classifier().query().token().isEmpty(), "and with a token");
        assertEquals("classifier", parse(DockerFiles.command(services.path("classifier"))).subcommand()
                .matchedOptionValue("--query-host", ""), "redirects name the classifier's service");
    }

    /** Inside its container an endpoint must listen on every interface, or neither the host nor Prometheus reaches it. */
    @Test
    void everyEndpointListensOnTheContainersInterfaces() {
        JsonNode services = DockerFiles.compose().path("services");
        for (String stage : STAGES.keySet()) {
            assertEquals("0.0.0.0", config(services.path(stage)).endpoints().metricsHost(), stage);
        }
        assertEquals("0.0.0.0", config(services.path("ingest")).ingest().push().host());
        assertEquals("0.0.0.0", config(services.path("escalation")).escalation().actions().host());
        assertEquals("0.0.0.0", config(services.path("classifier")).classifier().query().host());
    }

    @Test
    void eachStageIsHealthyWhenItsHealthEndpointSaysSo() {
        JsonNode services = DockerFiles.compose().path("services");
        for (String stage : STAGES.keySet()) {
            JsonNode service = services.path(stage);
            List<String> test = new ArrayList<>();
            service.at("/healthcheck/test").forEach(t -> test.add(t.asText()));
            int port = METRICS_PORT.get(stage).applyAsInt(config(service));

            assertEquals("CMD", test.get(0), stage);
            assertEquals("curl", test.get(1), stage);
            assertTrue(test.contains("--fail"), stage + ": a 503 must fail the check: " + test);
            assertEquals("http://localhost:" + port + "/health", test.get(test.size() - 1), stage);
        }
        try {
            assertTrue(Dockerfile.read(DOCKER.resolve("Dockerfile")).all("RUN").stream().anyMatch(run -> run.contains("install")
                    && run.contains(" curl")), "the image has curl for the healthchecks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyServiceOfTheImageRunsALauncherCommandAgainstTheComposeKafka() {
        JsonNode services = DockerFiles.compose().path("services");
        String advertised = DockerFiles.environment(services.path("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
        Set<String> subcommands = new CommandLine(new Main()).getSubcommands().keySet();
        Map<String, String> ran = new LinkedHashMap<>();
        for (String name : opinionWatchServices(services)) {
            List<String> command = DockerFiles.command(services.path(name));
            ParseResult parsed = parse(command);
            String subcommand = parsed.subcommand().commandSpec().name();
            ran.put(name, subcommand);

            assertTrue(subcommands.contains(subcommand), name + ": " + subcommand);
            // Without --bootstrap a command starts an embedded broker of its own.
            assertEquals(advertised, "PLAINTEXT://" + DockerFiles.option(command, "--bootstrap"), name + " uses the kafka service");
            assertTrue(Files.isRegularFile(DockerFiles.hostPathOf(services.path(name), DockerFiles.option(command, "--config"))),
                    name + ": the --config file is mounted from the repository");
        }
        Map<String, String> expected = new LinkedHashMap<>(STAGES);
        expected.put("topics", "topics");
        assertEquals(expected, ran, "the topics service and each stage, with the subcommand it runs");
    }

    @Test
    void theTopicsAreCreatedOnceKafkaIsHealthyAndBeforeAnyStage() {
        JsonNode services = DockerFiles.compose().path("services");

        assertEquals("no", services.path("topics").path("restart").asText());
        assertEquals("service_healthy", services.at("/topics/depends_on/kafka/condition").asText());
        assertTrue(services.at("/kafka/healthcheck/test").isArray(), "kafka has a healthcheck");
        for (String stage : STAGES.keySet()) {
            assertEquals("service_completed_successfully", services.path(stage).at("/depends_on/topics/condition").asText(), stage);
        }
        assertTrue(services.at("/kafka/volumes/0").asText().startsWith("kafka-data:" + DockerFiles.environment(services.path("kafka"))
                .get("KAFKA_LOG_DIRS")), "the broker's data is on the named volume");
    }

    @Test
    void prometheusSendsItsAlertsToAlertmanagerWhichReadsItsConfigFromTheRepository() {
        JsonNode alertmanager = DockerFiles.compose().at("/services/alertmanager");
        List<String> command = DockerFiles.command(alertmanager);
        JsonNode alerting = DockerFiles.yaml("prometheus/prometheus.yml").at("/alerting/alertmanagers");
        int port = 9093; // Alertmanager's own default: the command sets no --web.listen-address

        assertTrue(command.stream().noneMatch(a -> a.startsWith("--web.listen-address")), command.toString());
        assertEquals(1, alerting.size(), alerting.toString());
        assertEquals("[\"alertmanager:" + port + "\"]", alerting.at("/0/static_configs/0/targets").toString(),
                "the compose service, on the compose network");
        assertEquals(List.of(new DockerFiles.Port("127.0.0.1", port, port)), DockerFiles.ports(alertmanager),
                "its web interface and API on this host only");
        assertEquals(DOCKER.resolve("alertmanager/alertmanager.yml").normalize(),
                DockerFiles.hostPathOf(alertmanager, flag(command, "--config.file")));
        assertTrue(DockerFiles.mounts(alertmanager).contains(new DockerFiles.Mount("alertmanager-data", flag(command, "--storage.path"), "rw")),
                "silences and what was sent, on a named volume: " + DockerFiles.mounts(alertmanager));
        assertTrue(command.contains("--cluster.listen-address="), "one Alertmanager, no gossip port: " + command);
    }

    /** The Alertmanager the tests run (AlertingPipelineTest, AlertmanagerConfigTest) is the one compose runs. */
    @Test
    void alertmanagersImageIsTheVersionOfDebiansPackageThatTheTestsRun() throws Exception {
        Tools.requireOnPath("prometheus-alertmanager", "prometheus-alertmanager");
        Process process = new ProcessBuilder("prometheus-alertmanager", "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        Matcher version = Pattern.compile("alertmanager, version (\\d+\\.\\d+\\.\\d+)").matcher(output);
        assertTrue(version.find(), output);

        assertEquals("prom/alertmanager:v" + version.group(1), DockerFiles.compose().at("/services/alertmanager/image").asText());
    }

    /** The mail password and the relay's token are files that git ignores, mounted beside alertmanager.yml. */
    @Test
    void alertmanagersSecretsAreFilesOutsideTheRepository() throws IOException {
        JsonNode alertmanager = DockerFiles.compose().at("/services/alertmanager");
        List<String> files = new ArrayList<>();
        secretFiles(DockerFiles.yaml("alertmanager/alertmanager.yml"), files);
        Path secrets = DOCKER.resolve("alertmanager/secrets").normalize();

        assertFalse(files.isEmpty(), "the mail password is read from a file");
        for (String file : files) {
            assertTrue(DockerFiles.hostPathOf(alertmanager, file).startsWith(secrets), file + " is in " + secrets);
        }
        assertTrue(Files.readAllLines(ROOT.resolve(".gitignore")).contains("/docker/alertmanager/secrets/"), "git ignores " + secrets);
    }

    /** The values of Alertmanager's *_file settings (smtp_auth_password_file, credentials_file, password_file). */
    private static void secretFiles(JsonNode node, List<String> files) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().endsWith("_file") && field.getValue().isTextual()) {
                files.add(field.getValue().asText());
            }
            secretFiles(field.getValue(), files);
        });
        if (node.isArray()) {
            node.forEach(item -> secretFiles(item, files));
        }
    }

    /** The value of a {@code --name=value} argument. */
    private static String flag(List<String> command, String name) {
        return command.stream().filter(a -> a.startsWith(name + "=")).findFirst().orElseThrow(() -> new AssertionError(name + " in " + command))
                .substring(name.length() + 1);
    }

    @Test
    void eachStreamsStageKeepsItsStateOnAVolumeOfItsOwnThatTheImageGivesToItsUser() throws IOException {
        JsonNode compose = DockerFiles.compose();
        Dockerfile dockerfile = Dockerfile.read(DOCKER.resolve("Dockerfile"));
        String user = dockerfile.last("USER");
        Set<String> volumes = new HashSet<>();
        for (String stage : List.of("classifier", "escalation")) {
            JsonNode service = compose.at("/services/" + stage);
            String stateDir = config(service).streams().stateDir();
            DockerFiles.Mount mount = DockerFiles.mounts(service).stream().filter(m -> m.target().equals(stateDir)).findFirst()
                    .orElseThrow(() -> new AssertionError(stage + " mounts no volume at its streams.stateDir " + stateDir));

            assertTrue(compose.path("volumes").has(mount.source()), stage + ": " + mount.source() + " is a named volume of the stack");
            assertEquals("rw", mount.mode(), stage);
            assertTrue(volumes.add(mount.source()), "each stage has a volume of its own: " + mount.source());
            // A named volume mounted for the first time takes over the image's directory, owner included.
            assertTrue(dockerfile.all("RUN").stream().anyMatch(run -> run.contains("mkdir -p " + stateDir) && run.contains("chown -R " + user + " ")),
                    "the image makes " + stateDir + " and gives it to " + user + ": " + dockerfile.all("RUN"));
        }
    }

    @Test
    void theImageRunsTheJarTheLauncherBuildsWithItsLibraries() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("launcher/pom.xml").toFile());
        String jarName = text(pom, "finalName") + ".jar";
        String classpathPrefix = text(pom, "classpathPrefix");
        assertEquals("${project.build.directory}/" + classpathPrefix.replaceAll("/$", ""), text(pom, "outputDirectory"),
                "copy-dependencies puts the libraries where the manifest class path looks");
        Dockerfile dockerfile = Dockerfile.read(DOCKER.resolve("Dockerfile"));
        List<String> entrypoint = List.of(new ObjectMapper().readValue(dockerfile.last("ENTRYPOINT"), String[].class));
        String jar = entrypoint.get(2);
        String appDir = jar.substring(0, jar.lastIndexOf('/') + 1);
        String built = dockerfile.buildWorkdir() + "/launcher/target/";

        assertEquals(List.of("maven:3.9-eclipse-temurin-17 AS build", "eclipse-temurin:17-jre"), dockerfile.all("FROM"));
        assertTrue(dockerfile.all("RUN").stream().anyMatch(run -> run.endsWith("mvn -B -DskipTests package")));
        assertEquals(List.of("java", "-jar"), entrypoint.subList(0, 2));
        assertTrue(dockerfile.all("COPY").contains("--from=build " + built + jarName + " " + jar), dockerfile.all("COPY").toString());
        assertTrue(dockerfile.all("COPY").contains("--from=build " + built + classpathPrefix + " " + appDir + classpathPrefix),
                dockerfile.all("COPY").toString());
        String user = dockerfile.last("USER");
        assertNotEquals("root", user);
        assertNotEquals("0", user);
        JsonNode services = DockerFiles.compose().path("services");
        for (String name : opinionWatchServices(services)) {
            JsonNode build = services.path(name).path("build");
            assertEquals(DOCKER.resolve("Dockerfile").normalize(), DOCKER.resolve(build.path("context").asText())
                    .resolve(build.path("dockerfile").asText()).normalize(), name);
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputButNotTheSources() throws IOException {
        List<String> patterns = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();

        assertTrue(patterns.contains(".git") && patterns.contains("**/target/"), patterns.toString());
        for (String needed : List.of("pom.xml", "launcher/pom.xml", "launcher/src/main/java", "samples/weibo-ced",
                "contract/src/main/resources/opinion-watch-defaults.yaml")) {
            for (String pattern : patterns) {
                var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/$", ""));
                for (Path p = Path.of(needed); p != null; p = p.getParent()) {
                    assertFalse(matcher.matches(p), pattern + " leaves " + needed + " out of the build");
                }
            }
        }
    }

    /** The services that run the project's image. */
    static List<String> opinionWatchServices(JsonNode services) {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (services.path(name).has("build")) {
                names.add(name);
            }
        });
        return names;
    }

    /** A service's config as it starts: the mounted --config file under its environment. */
    static OpinionWatchConfig config(JsonNode service) {
        String file = DockerFiles.option(DockerFiles.command(service), "--config");
        return ConfigLoader.load(DockerFiles.hostPathOf(service, file), DockerFiles.environment(service));
    }

    private static ParseResult parse(List<String> command) {
        return new CommandLine(new Main()).parseArgs(command.toArray(String[]::new));
    }

    /** Loaded from a location of its own, against which the schema's relative $id resolves. */
    private static Schema composeSchema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
    }

    private static JsonNode defaults() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream("opinion-watch-defaults.yaml")) {
            return DockerFiles.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variable of every scalar setting, as ConfigLoader maps them: the keys the environment can set. */
    private static void configKeys(JsonNode node, String path, Map<String, String> keyOf) {
        node.fields().forEachRemaining(field -> {
            String key = path + field.getKey();
            if (field.getValue().isObject()) {
                configKeys(field.getValue(), key + ".", keyOf);
            } else if (!field.getValue().isArray()) {
                keyOf.put(ConfigLoader.envName(key), key);
            }
        });
    }

    private static String text(Document pom, String tag) {
        return pom.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    /** The instructions of a Dockerfile, each with its arguments. */
    record Dockerfile(List<String[]> instructions) {
        static Dockerfile read(Path file) throws IOException {
            List<String[]> instructions = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String raw : Files.readAllLines(file)) {
                if (raw.startsWith("#")) {
                    continue;
                }
                line.append(raw.strip());
                if (raw.endsWith("\\")) {
                    line.setLength(line.length() - 1);
                    continue;
                }
                if (!line.isEmpty()) {
                    instructions.add(line.toString().split("\\s+", 2));
                }
                line.setLength(0);
            }
            return new Dockerfile(instructions);
        }

        List<String> all(String instruction) {
            return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
        }

        String last(String instruction) {
            List<String> all = all(instruction);
            return all.get(all.size() - 1);
        }

        /** The working directory of the build stage, where COPY --from=build finds what it built. */
        String buildWorkdir() {
            return all("WORKDIR").get(0);
        }
    }
}
