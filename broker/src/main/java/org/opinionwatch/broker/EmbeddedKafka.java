package org.opinionwatch.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker+controller, node id 1) running inside this JVM.
 * Meant for local runs and tests: loopback only, replication factor 1 everywhere; plaintext, or with a client
 * listener that requires SASL ({@link #start(Sasl)}).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final long READY_TIMEOUT_MS = 30_000;

    /** The broker's own user on a SASL listener: it connects to itself there (transaction markers). */
    private static final String BROKER_USER = "embedded-broker";
    private static final String PLAIN = "PLAIN";
    private static final java.util.regex.Pattern USER_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    private static EmbeddedKafka shared;
    private static boolean hookInstalled;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteDataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.bootstrapServers = HOST + ":" + port;
    }

    /**
     * What the client listener of a broker started with {@link #start(Sasl)} requires: SASL with {@code mechanism}
     * and the password of one of {@code users}. With {@code superUsers}, Kafka's ACLs are enforced
     * (StandardAuthorizer): those users may do anything, the others only what an ACL allows them; without, every
     * authenticated user may do anything.
     *
     * <p>User names are letters, digits, '.', '_' and '-'; a password holds no double quote, backslash or line
     * break (the broker's PLAIN users are written into its JAAS text as they are).
     *
     * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
     * @param users name → password
     */
    public record Sasl(String mechanism, Map<String, String> users, java.util.Set<String> superUsers) {
        public Sasl {
            users = Map.copyOf(users);
            superUsers = java.util.Set.copyOf(superUsers);
            if (!mechanism.equals(PLAIN) && ScramMechanism.fromMechanismName(mechanism) == ScramMechanism.UNKNOWN) {
                throw new IllegalArgumentException("no SASL mechanism " + mechanism + ": PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }
            users.forEach((name, password) -> {
                if (!USER_NAME.matcher(name).matches() || name.equals(BROKER_USER)) {
                    throw new IllegalArgumentException("user name " + name + ": letters, digits, '.', '_' and '-', not " + BROKER_USER);
                }
                if (password.isEmpty() || password.chars().anyMatch(c -> c == '"' || c == '\\' || c == '\n' || c == '\r')) {
                    throw new IllegalArgumentException("the password of " + name + " is empty or holds a double quote, backslash or line break");
                }
            });
            if (!users.keySet().containsAll(superUsers)) {
                throw new IllegalArgumentException("super users " + superUsers + " are not all among the users " + users.keySet());
            }
        }
    }

    /** Starts a broker. dataDir null = a fresh temporary directory deleted on close; port 0 = a free port. */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * Starts a broker in a fresh temporary directory whose client listener (on a free port) requires SASL as
     * {@code sasl} says; the controller listener stays plaintext on loopback. The users can log in when it returns.
     */
    public static EmbeddedKafka start(Sasl sasl) {
        return start(null, 0, java.util.Objects.requireNonNull(sasl));
    }

    private static EmbeddedKafka start(Path dataDir, int port, Sasl sasl) {
        // Free ports are found by binding and releasing, so another process may grab one before the
        // broker binds it; retry a couple of times when we chose the ports ourselves.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dataDir, port, sasl == null ? null : new Secured(sasl, UUID.randomUUID().toString()));
            } catch (IllegalStateException e) {
                if (attempt >= 3 || port != 0 || !(rootCause(e) instanceof BindException)) {
                    throw e;
                }
                log.warn("A port was taken while starting Kafka, retrying: {}", rootCause(e).toString());
            }
        }
    }

    /** One broker per JVM for tests, started on first use, stopped by a shutdown hook. */
    public static synchronized EmbeddedKafka shared() {
        // Restart if someone closed the shared broker by mistake, rather than hand out a dead one.
        if (shared == null || shared.isClosed()) {
            shared = start(null, 0);
        }
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (EmbeddedKafka.class) {
                    if (shared != null) {
                        shared.close();
                    }
                }
            }, "embedded-kafka-shutdown"));
            hookInstalled = true;
        }
        return shared;
    }

    /** "127.0.0.1:PORT" of the client listener: PLAINTEXT, or SASL_PLAINTEXT for a broker of {@link #start(Sasl)}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and, if the data directory was temporary, deletes it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startedAt = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
            log.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        } finally {
            if (deleteDataDir) {
                deleteQuietly(dataDir);
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** A SASL client listener, and the broker's own password on it. */
    private record Secured(Sasl sasl, String brokerPassword) {
        boolean scram() {
            return !sasl.mechanism().equals(PLAIN);
        }

        /** What a client logging in as {@code user} sets. */
        Map<String, Object> client(String bootstrapServers, String user, String password) {
            String module = scram() ? ScramLoginModule.class.getName() : PlainLoginModule.class.getName();
            return Map.of(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                    SaslConfigs.SASL_MECHANISM, sasl.mechanism(),
                    SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password + "\";");
        }
    }

    private static EmbeddedKafka startOnce(Path requestedDir, int requestedPort, Secured secured) {
        long startedAt = System.nanoTime();
        boolean temporary = requestedDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(requestedDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + requestedDir, e);
        }
        int port = requestedPort == 0 ? LoopbackPorts.free() : requestedPort;
        int controllerPort = LoopbackPorts.free();

        KafkaRaftServer server = null;
        try {
            formatIfNeeded(dir, secured);
            server = new KafkaRaftServer(new KafkaConfig(brokerProperties(dir, port, controllerPort, secured), false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, port);
            String bootstrap = kafka.bootstrapServers();
            awaitReady(secured == null ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)
                    : secured.client(bootstrap, BROKER_USER, secured.brokerPassword()));
            if (secured != null && secured.scram()) {
                addScramUsers(secured, bootstrap);
            }
            log.info("Kafka broker started at {} (data in {}) in {} ms", kafka.bootstrapServers(), dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
            return kafka;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (server != null) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (temporary) {
                deleteQuietly(dir);
            }
            throw new IllegalStateException("Cannot start embedded Kafka on " + HOST + ":" + port
                    + " (controller port " + controllerPort + ", data in " + dir + "): " + e
                    + (rootCause(e) == e ? "" : " (root cause: " + rootCause(e) + ")"), e);
        }
    }

    private static Map<String, String> brokerProperties(Path dir, int port, int controllerPort, Secured secured) {
        // Strings, as in server.properties: typed values must match the exact ConfigDef type (short, long...).
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: the controller port may change between restarts on the same data directory.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        String client = secured == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", client + "://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", client);
        if (secured != null) {
            p.putAll(saslProperties(secured));
        }
        p.put("log.dirs", dir.toString());

        // Single node: every internal topic must live with one replica, or transactions and groups fail.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // One partition each instead of 50: the first consumer group / transactional producer is ready sooner.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // The log cleaner allocates this buffer up front (128 MB by default); tests run several brokers.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        // Fail instead of hanging forever if the broker cannot catch up with its controller.
        p.put("server.max.startup.time.ms", String.valueOf(READY_TIMEOUT_MS));
        return p;
    }

    /**
     * The SASL listener's settings. The broker logs in there as {@link #BROKER_USER}, a super user when ACLs are
     * enforced, and so is the anonymous principal of the plaintext controller listener, which the broker part uses
     * to register with the controller part.
     */
    private static Map<String, String> saslProperties(Secured secured) {
        Sasl sasl = secured.sasl();
        String mechanism = sasl.mechanism();
        Map<String, String> p = new HashMap<>();
        p.put("sasl.enabled.mechanisms", mechanism);
        p.put("sasl.mechanism.inter.broker.protocol", mechanism);
        StringBuilder jaas = new StringBuilder(secured.scram() ? ScramLoginModule.class.getName() : PlainLoginModule.class.getName())
                .append(" required username=\"").append(BROKER_USER).append("\" password=\"").append(secured.brokerPassword()).append('"');
        if (!secured.scram()) {
            // PLAIN's users and passwords are the JAAS options user_NAME="PASSWORD" of the broker's login.
            jaas.append(" user_").append(BROKER_USER).append("=\"").append(secured.brokerPassword()).append('"');
            sasl.users().forEach((name, password) -> jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
        }
        p.put("listener.name.sasl_plaintext." + mechanism.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config", jaas.append(';').toString());
        if (!sasl.superUsers().isEmpty()) {
            p.put("authorizer.class.name", StandardAuthorizer.class.getName());
            StringBuilder superUsers = new StringBuilder("User:" + BROKER_USER + ";User:ANONYMOUS");
            sasl.superUsers().forEach(name -> superUsers.append(";User:").append(name));
            p.put("super.users", superUsers.toString());
        }
        return p;
    }

    /**
     * SCRAM credentials live in the cluster's metadata: the broker's own is written when the directory is formatted
     * (it must log in before anyone can add users), the users' are added once it runs, and each user is waited for
     * until it can log in.
     */
    private static void addScramUsers(Secured secured, String bootstrap) throws Exception {
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(secured.sasl().mechanism());
        List<UserScramCredentialAlteration> upserts = new java.util.ArrayList<>();
        secured.sasl().users().forEach((name, password) ->
                upserts.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(mechanism, 4096), password)));
        try (Admin admin = Admin.create(secured.client(bootstrap, BROKER_USER, secured.brokerPassword()))) {
            admin.alterUserScramCredentials(upserts).all().get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        for (var user : secured.sasl().users().entrySet()) {
            awaitReady(secured.client(bootstrap, user.getKey(), user.getValue()));
        }
    }

    /** KRaft refuses to start on an unformatted directory; format once, keep an existing format (restarts). */
    private static void formatIfNeeded(Path dir, Secured secured) throws Exception {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return;
        }
        Formatter formatter = new Formatter();
        if (secured != null && secured.scram()) {
            formatter.setScramArguments(List.of(secured.sasl().mechanism() + "=[name=" + BROKER_USER + ",password="
                    + secured.brokerPassword() + "]"));
        }
        formatter
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream())) // it prints to stdout
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    /** startup() returning is not a promise that clients are served; ask the broker itself, logged in as {@code client} says. */
    private static void awaitReady(Map<String, Object> client) throws Exception {
        Map<String, Object> conf = new HashMap<>(client);
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Broker reports no live nodes after " + READY_TIMEOUT_MS + " ms");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("Could not delete Kafka data directory {}", dir, e);
        }
    }
}
