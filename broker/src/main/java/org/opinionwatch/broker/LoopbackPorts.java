package org.opinionwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a server to listen on, chosen before it starts: an embedded broker's, or a server a test starts
 * in a process of its own.
 */
public final class LoopbackPorts {
    private static final int LISTEN_PORTS_FROM = 10_000;

    private LoopbackPorts() {
    }

    /**
     * A loopback port free now, below the kernel's range of ephemeral ports where it has one. A port found free is
     * released before the server binds it, and one of that range can be taken meanwhile as the local end of any
     * connection the machine opens (a test's own Kafka clients among them), or after a server is killed and before it
     * starts again on the same port; a port below it only by another server choosing it.
     */
    public static int free() {
        int ephemeralFrom = ephemeralPortsFrom();
        for (int attempt = 0; attempt < 100 && ephemeralFrom > LISTEN_PORTS_FROM; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LISTEN_PORTS_FROM, ephemeralFrom);
            if (bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + InetAddress.getLoopbackAddress(), e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The first ephemeral port (Linux's {@code ip_local_port_range}), or 0 where that file is absent. */
    private static int ephemeralPortsFrom() {
        try {
            // Read as lines: Files.readString gives only the first byte of a /proc file, whose size it sees as 0 (Java 17).
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }
}
