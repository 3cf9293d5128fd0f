package org.opinionwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opinionwatch.broker.EmbeddedKafka;
import org.opinionwatch.broker.FirstTransaction;
import org.opinionwatch.classifier.Classifier;
import org.opinionwatch.contract.config.ConfigLoader;
import org.opinionwatch.contract.config.KafkaClients;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.contract.event.Action;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Post;
import org.opinionwatch.contract.topic.TopicSetup;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.ingest.publish.PostBounds;
import org.opinionwatch.ingest.publish.PostPublisher;
import org.opinionwatch.launcher.pipeline.OutputEvent;
import org.opinionwatch.launcher.pipeline.OutputReader;
import org.opinionwatch.notifier.Notifier;
import org.opinionwatch.runtime.metrics.MetricsEndpoint;

/**
 * Opinion Watch on a broker that requires SASL (SCRAM-SHA-256) and enforces ACLs: each service logs in as a user of
 * its own, with the ACLs of docs/kafka-security.md (read from that file) and nothing more. A client without
 * credentials, or with the wrong ones, or without the ACL, cannot record an action, and says why; with its own, every
 * stage runs and a post goes through all of them.
 */
@Timeout(600)
class SecuredClusterTest {
    private static final String MECHANISM = "SCRAM-SHA-256";
    /** Passwords with what a JAAS text must quote; the broker's own login forbids quotes and backslashes. */
    private static final Map<String, String> USERS = Map.of(
            "admin", "admin; secret", "ingest", "ingest-ç'{p}", "classifier", "classifier=$pw", "escalation", "escalation pw",
            "notifier", "notifier;pw", "act", "act 密码 'x'");
    private static final Path ACL_DOC = Path.of("..", "docs", "kafka-security.md");
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    /** A stage's internal topics are created as it starts: its first transaction may stall (KAFKA-15591). */
    private static final Duration WITHIN = FirstTransaction.WITHIN;

    private static EmbeddedKafka broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerWithTheDocumentedAcls() throws Exception {
        broker = EmbeddedKafka.start(new EmbeddedKafka.Sasl(MECHANISM, USERS, Set.of("admin")));
        // The topics once, by the administrator, as an operator does.
        TopicSetup.create(config("admin"), false);
        List<AclBinding> acls = documentedAcls();
        try (Admin admin = Admin.create(KafkaClients.settings(config("admin").kafka()))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            // The broker serves DescribeAcls from its authorizer: once it lists them all, they are in force.
            await("the ACLs in force", () -> {
                try {
                    return admin.describeAcls(AclBindingFilter.ANY).values().get().size() == acls.size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void actWithoutCredentialsIsToldTheClusterRequiresThemAndRecordsNothing() throws Exception {
        long start = System.nanoTime();

        CommandRun run = CommandRun.of("act", "no-credentials", "resolve", "--by", "a", "--bootstrap", broker.bootstrapServers(),
                "--timeout", "3");

        assertEquals("opinion-watch act: no answer from the Kafka cluster at " + broker.bootstrapServers() + " within 3 s: is it "
                + "running, and reachable from here? A cluster that requires authentication gives no answer to a client without "
                + "the kafka.security settings (docs/kafka-security.md). Nothing was recorded.", lastLine(run.errAfter(1)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0, "gave up in time");
        assertTrue(actionsOf("no-credentials").isEmpty());
    }

    @Test
    void actWithAWrongPasswordIsRefusedAtOnce() throws Exception {
        Path config = configFile("act", "not the password");
        long start = System.nanoTime();

        CommandRun run = CommandRun.of("act", "wrong-password", "resolve", "--by", "a", "--bootstrap", broker.bootstrapServers(),
                "--config", config.toString());

        assertEquals("opinion-watch act: authentication with the Kafka cluster at " + broker.bootstrapServers() + " failed "
                + "(kafka.security, protocol SASL_PLAINTEXT, user act): Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism " + MECHANISM + ". Nothing was recorded.", lastLine(run.errAfter(1)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0, "refused at once, not at the timeout");
        assertTrue(actionsOf("wrong-password").isEmpty());
    }

    /** The command as a deployment runs it: in a JVM of its own, its credentials in the environment only; its output. */
    private static String actInAJvmOfItsOwn(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "act"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--bootstrap", broker.bootstrapServers()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OW_"));
        builder.environment().putAll(Map.of("OW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "OW_KAFKA_SECURITY_SASL_MECHANISM", MECHANISM,
                "OW_KAFKA_SECURITY_SASL_USERNAME", "act", "OW_KAFKA_SECURITY_SASL_PASSWORD", USERS.get("act")));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** A stage whose password is wrong stops as it starts, with exit status 1, saying why: its first client is refused. */
    @Test
    void aStageWithAWrongPasswordStopsAtOnceNamingTheAuthenticationFailure() throws IOException {
        CommandRun run = CommandRun.of("classifier", "--bootstrap", broker.bootstrapServers(), "--query-port", "0",
                "--config", configFile("classifier", "guessed").toString());

        assertTrue(lastLine(run.errAfter(1)).matches("opinion-watch classifier: cannot create topic [a-z.]+: Authentication failed "
                + "during authentication due to invalid credentials with SASL mechanism " + MECHANISM), run.err());
    }

    /** A user that may not create topics is told to have them created when they do not exist. */
    @Test
    void aUserThatMayNotCreateTopicsIsToldWhoMustWhenTheyAreMissing() {
        OpinionWatchConfig elsewhere = config("act", USERS.get("act"), Map.of("OW_TOPICS_PREFIX", "missing."));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TopicSetup.create(elsewhere, false));

        assertTrue(e.getMessage().matches("cannot create topic missing\\.[a-z.]+: this client is not allowed to, and it does not exist "
                + "\\(Topic authorization failed\\.\\); create the namespace's topics with 'opinion-watch topics' "
                + "as a user who may \\(docs/kafka-security\\.md\\)"), e.getMessage());
    }

    /** Settings meant for a secured cluster are not silently tried on the embedded broker. */
    @Test
    void theEmbeddedBrokerIsNotStartedForSettingsOfASecuredCluster() throws IOException {
        // demo starts an embedded broker when no cluster is named; the stage commands and tools refuse outright.
        CommandRun run = CommandRun.of("demo", "--config", configFile("admin", USERS.get("admin")).toString());

        assertEquals("opinion-watch demo: kafka.security.protocol is SASL_PLAINTEXT but no cluster is given (--bootstrap, "
                + "kafka.bootstrapServers or OW_KAFKA_BOOTSTRAP_SERVERS), and the embedded broker takes PLAINTEXT clients only",
                lastLine(run.errAfter(1)));
    }

    /**
     * Each stage started as its command starts it (the topics checked, then the stage), logged in as its own user: a post
     * published by ingest is classified, escalated, and its notification's delivery recorded by the notifier.
     */
    @Test
    void aPostGoesThroughEveryStageEachLoggedInAsItsOwnUser() throws Exception {
        OpinionWatchConfig classifierConfig = config("classifier");
        OpinionWatchConfig escalationConfig = config("escalation");
        OpinionWatchConfig notifierConfig = config("notifier");
        OpinionWatchConfig ingestConfig = config("ingest");
        List<KafkaStreams> stages = new ArrayList<>();
        try (MetricsEndpoint classifierMetrics = MetricsEndpoint.start("classifier", 0);
             MetricsEndpoint escalationMetrics = MetricsEndpoint.start("escalation", 0)) {
            TopicSetup.create(classifierConfig, false);
            KafkaStreams classifier = Classifier.start(classifierConfig, new Properties(), classifierMetrics);
            stages.add(classifier);
            TopicSetup.create(escalationConfig, false);
            KafkaStreams escalation = Escalation.start(escalationConfig, new Properties(), escalationMetrics);
            stages.add(escalation);
            TopicSetup.create(notifierConfig, false);
            try (Notifier notifier = Notifier.start(notifierConfig, new SimpleMeterRegistry())) {
                await("both Streams stages RUNNING", () -> classifier.state() == KafkaStreams.State.RUNNING
                        && escalation.state() == KafkaStreams.State.RUNNING);

                TopicSetup.create(ingestConfig, false);
                try (PostPublisher publisher = new PostPublisher(ingestConfig.topicNames(), KafkaClients.properties(ingestConfig.kafka()),
                        PostBounds.archive(ingestConfig.ingest().limits()), ingestConfig.ingest().delivery())) {
                    publisher.publish(new Post("secured-1", "forum", "https://bbs.example.edu/t/1", "食堂饭菜", "食堂的饭菜有异物", "a",
                            T0, T0, new Engagement(10, 600, 0, 0), false, null)); // CRITICAL: a MINOR one waits for the daily report
                    publisher.heartbeat(T0.plusMillis(1), "test"); // as ingest's heartbeat after it: the classifier decides the post
                    publisher.flush();
                }

                Topics topics = config("admin").topicNames();
                await(() -> "the classifier's severity change (classifier " + classifier.state() + ")",
                        () -> !read(List.of(topics.severity()), "secured-1").isEmpty());
                await(() -> "the escalation stage's notification (escalation " + escalation.state() + ")",
                        () -> !read(List.of(topics.notifications()), "secured-1").isEmpty());
                await(() -> "the notifier's delivery record (notifier running: " + notifier.isRunning() + ")",
                        () -> !read(List.of(topics.deliveries()), "secured-1").isEmpty());
                OutputEvent change = read(List.of(topics.severity()), "secured-1").get(0);
                assertEquals(Level.CRITICAL.name(), change.event().path("to").asText(), change.event().toString());
                assertTrue(notifier.isRunning());
                assertEquals(KafkaStreams.State.RUNNING, classifier.state());
                assertEquals(KafkaStreams.State.RUNNING, escalation.state());

                // The incident has its case now: act, logged in as its user, records actions on it.
                CommandRun fromFile = CommandRun.of("act", "secured-1", "resolve", "--by", "舆情办公室", "--bootstrap", broker.bootstrapServers(),
                        "--config", configFile("act", USERS.get("act")).toString());
                assertEquals(0, fromFile.exit(), fromFile.err());
                assertEquals(List.of("舆情办公室"), actionsOf("secured-1").stream().map(Action::by).toList());
                String fromEnvironment = actInAJvmOfItsOwn("secured-1", "resolve", "--by", "李老师");
                assertEquals(List.of("舆情办公室", "李老师"), actionsOf("secured-1").stream().map(Action::by).toList(), fromEnvironment);
                // The notifier's user may read notifications, not the stage's cases nor write actions: it records nothing.
                CommandRun notAllowed = CommandRun.of("act", "secured-1", "resolve", "--by", "a", "--bootstrap", broker.bootstrapServers(),
                        "--config", configFile("notifier", USERS.get("notifier")).toString(), "--timeout", "5");
                String err = notAllowed.errAfter(1);
                assertTrue(err.contains("Not authorized to access topics: [opinion-watch-escalation-escalation-cases-changelog]"), err);
                assertEquals(2, actionsOf("secured-1").size());
            }
        } finally {
            for (KafkaStreams stage : stages) {
                stage.close(Duration.ofSeconds(30));
                stage.cleanUp();
            }
        }
    }

    /** What the command said: its last line (Kafka's client may log the refusal before it, the broker in this JVM too). */
    private static String lastLine(String err) {
        return err.lines().reduce((first, second) -> second).orElse("");
    }

    /** The config of a service logged in as {@code user}, as a deployment gives it: in its environment. */
    private static OpinionWatchConfig config(String user) {
        return config(user, USERS.get(user), Map.of());
    }

    private static OpinionWatchConfig config(String user, String password, Map<String, String> moreEnvironment) {
        Map<String, String> environment = new java.util.HashMap<>(moreEnvironment);
        environment.putAll(Map.of("OW_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "OW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "OW_KAFKA_SECURITY_SASL_MECHANISM", MECHANISM,
                "OW_KAFKA_SECURITY_SASL_USERNAME", user, "OW_KAFKA_SECURITY_SASL_PASSWORD", password));
        return ConfigLoader.load(null, environment);
    }

    private Path configFile(String user, String password) throws IOException {
        return Files.writeString(dir.resolve(user + ".yaml"), "kafka:\n  security:\n    protocol: SASL_PLAINTEXT\n    sasl:\n"
                + "      mechanism: " + MECHANISM + "\n      username: " + user + "\n      password: '" + password.replace("'", "''") + "'\n");
    }

    private static List<Action> actionsOf(String incident) {
        return read(List.of(config("admin").topicNames().actions()), incident).stream()
                .map(e -> Topics.ACTION.parse(e.event().toString())).toList();
    }

    private static List<OutputEvent> read(List<org.opinionwatch.contract.topic.Topic<String, ?>> topics, String key) {
        return OutputReader.readAll(config("admin").kafka(), "", topics).stream().filter(e -> key.equals(e.key())).toList();
    }

    /**
     * The {@code kafka-acls.sh --add} commands of docs/kafka-security.md as bindings: each principal given, for each
     * operation, on each resource, with the command's pattern type.
     */
    static List<AclBinding> documentedAcls() throws IOException {
        String doc = Files.readString(ACL_DOC);
        List<AclBinding> acls = new ArrayList<>();
        Matcher command = Pattern.compile("kafka-acls\\.sh \\$ADMIN --add((?:[^\\n\\\\]|\\\\\\n)*)").matcher(doc);
        while (command.find()) {
            List<String> words = List.of(command.group(1).replace("\\\n", " ").trim().split("\\s+"));
            Map<String, List<String>> options = new LinkedHashMap<>();
            for (int i = 0; i < words.size(); i += 2) {
                options.computeIfAbsent(words.get(i), o -> new ArrayList<>()).add(words.get(i + 1));
            }
            PatternType pattern = PatternType.valueOf(options.getOrDefault("--resource-pattern-type", List.of("literal")).get(0).toUpperCase(java.util.Locale.ROOT));
            Map<String, ResourceType> types = Map.of("--topic", ResourceType.TOPIC, "--group", ResourceType.GROUP,
                    "--transactional-id", ResourceType.TRANSACTIONAL_ID);
            for (String principal : options.get("--allow-principal")) {
                for (String operation : options.get("--operation")) {
                    AclOperation op = AclOperation.fromString(operation);
                    assertTrue(op != AclOperation.UNKNOWN, operation);
                    types.forEach((option, type) -> options.getOrDefault(option, List.of()).forEach(name -> acls.add(new AclBinding(
                            new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)))));
                }
            }
            Set<String> known = Set.of("--allow-principal", "--operation", "--resource-pattern-type", "--topic", "--group", "--transactional-id");
            assertTrue(known.containsAll(options.keySet()), "an option the test does not read: " + options.keySet());
        }
        assertTrue(acls.size() > 50, "the documented ACLs were found: " + acls.size());
        return acls;
    }

    private static void await(String what, BooleanSupplier condition) {
        await(() -> what, condition);
    }

    private static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WITHIN.toSeconds() + " s: " + what.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
