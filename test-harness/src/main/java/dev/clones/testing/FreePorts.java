package dev.clones.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out free loopback TCP ports.
 *
 * <p>Ports are taken below the kernel's ephemeral range (normally 32768+). A port from the ephemeral
 * range can be grabbed as the local end of any outgoing connection while its server is stopped, and
 * the tests stop and restart servers on the same port; below that range nobody takes it by accident.
 * A port is handed out once per JVM, so two servers started back to back never get the same one.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A loopback port that nothing listens on right now and that this JVM has not handed out before. */
    public static int next() {
        int highest = ephemeralRangeStart() - 1;
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = highest - LOWEST > 1_000
                    ? ThreadLocalRandom.current().nextInt(LOWEST, highest + 1)
                    : portChosenByKernel();
            if (!isReserved(port) && HANDED_OUT.add(port) && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port found after 500 attempts");
    }

    /** True when a listener could bind 127.0.0.1:port now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port with connections still in TIME_WAIT counts as busy too.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // 35672-35682: RabbitMQ's CLI tools bind their own Erlang distribution port there.
    // 15672/25672: management and distribution ports of a default RabbitMQ that may come and go.
    private static boolean isReserved(int port) {
        return (port >= 35_672 && port <= 35_682) || port == 15_672 || port == 25_672;
    }

    private static int portChosenByKernel() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot bind any loopback port", e);
        }
    }

    private static int ephemeralRangeStart() {
        try {
            // Not Files.readString: on JDK 25 it returned only the first byte of this /proc file.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
