package org.opinionwatch.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker+controller, node id 1) running inside this JVM.
 * Meant for local runs and tests: loopback only, plaintext, replication factor 1 everywhere.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final long READY_TIMEOUT_MS = 30_000;

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

    /** Starts a broker. dataDir null = a fresh temporary directory deleted on close; port 0 = a free port. */
    public static EmbeddedKafka start(Path dataDir, int port) {
        // Free ports are found by binding and releasing, so another process may grab one before the
        // broker binds it; retry a couple of times when we chose the ports ourselves.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dataDir, port);
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

    /** "127.0.0.1:PORT" of the PLAINTEXT listener. */
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

    private static EmbeddedKafka startOnce(Path requestedDir, int requestedPort) {
        long startedAt = System.nanoTime();
        boolean temporary = requestedDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(requestedDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + requestedDir, e);
        }
        int port = requestedPort == 0 ? freePort() : requestedPort;
        int controllerPort = freePort();

        KafkaRaftServer server = null;
        try {
            formatIfNeeded(dir);
            server = new KafkaRaftServer(new KafkaConfig(brokerProperties(dir, port, controllerPort), false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, port);
            awaitReady(kafka.bootstrapServers());
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

    private static Map<String, String> brokerProperties(Path dir, int port, int controllerPort) {
        // Strings, as in server.properties: typed values must match the exact ConfigDef type (short, long...).
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: the controller port may change between restarts on the same data directory.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
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

    /** KRaft refuses to start on an unformatted directory; format once, keep an existing format (restarts). */
    private static void formatIfNeeded(Path dir) throws Exception {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream())) // it prints to stdout
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    /** startup() returning is not a promise that clients are served; ask the broker itself. */
    private static void awaitReady(String bootstrapServers) throws Exception {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
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
