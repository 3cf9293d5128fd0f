package org.opinionwatch.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** No connection the machine opens can take the port from a server about to listen on it. */
    @Test
    void aFreePortIsBelowTheEphemeralRangeAndCanBeListenedOn() throws IOException {
        assumeTrue(Files.isReadable(EPHEMERAL_RANGE), "no " + EPHEMERAL_RANGE);
        int ephemeralFrom = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        assumeTrue(ephemeralFrom > 10_000, "the ephemeral ports start at " + ephemeralFrom + ": no room to choose below them");
        for (int i = 0; i < 20; i++) {
            int port = LoopbackPorts.free();
            assertTrue(port > 0 && port < ephemeralFrom, port + " is below the ephemeral ports from " + ephemeralFrom);
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(server.isBound());
            }
        }
    }
}
