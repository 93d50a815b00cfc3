package dev.clones.testing;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of three primaries with one replica each, every node a {@link RedisServer} of its own
 * (cluster mode, AOF as there), joined by {@code redis-cli --cluster create} as an operator would.
 *
 * <p>Ready means what a service needs to rely on it: every node says {@code cluster_state:ok} (all 16384 slots
 * served) and every primary has its replica online, so that a write confirmed with {@code WAIT 1} can be.
 */
public final class RedisClusterServer implements RedisTier, AutoCloseable {

    private static final int PRIMARIES = 3;
    /** Joining six nodes and the replicas' first sync, on a crowded machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Commands that have no key: they go to every primary, and list replies are joined (e.g. {@code KEYS *}). */
    private static final Set<String> EVERY_PRIMARY = Set.of("KEYS", "FLUSHALL", "FLUSHDB");
    /** Commands about one server, whose first argument is no key: a test sends them to one of {@link #primaries()}. */
    private static final Set<String> ONE_SERVER = Set.of("INFO", "CLIENT", "CONFIG", "DBSIZE", "PING", "ROLE", "CLUSTER", "DEBUG");

    private final List<RedisServer> nodes;
    private final JedisCluster client;

    private RedisClusterServer(List<RedisServer> nodes) {
        this.nodes = nodes;
        this.client = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", nodes.getFirst().port())),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(30_000).socketTimeoutMillis(30_000)
                        .autoNegotiateProtocol(false).build());
    }

    /** Starts six nodes on free ports, joins them into one cluster and waits until it is ready. */
    public static RedisClusterServer start() {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * PRIMARIES; i++) {
                // The bus port too is chosen free: by default it is the client port + 10000, which another process
                // of the machine may hold (seen: "Failed listening on port 39218 (cluster), aborting").
                nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-port", String.valueOf(FreePorts.next()), "--cluster-node-timeout", "3000")));
            }
            join(nodes);
            awaitReady(nodes);
            return new RedisClusterServer(nodes);
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    private static void join(List<RedisServer> nodes) {
        List<String> line = new ArrayList<>(List.of(Processes.executable("redis-cli", "redis-tools").toString(), "--cluster", "create"));
        nodes.forEach(node -> line.add("127.0.0.1:" + node.port()));
        line.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path log = nodes.getFirst().dataDir().resolve("cluster-create.log");
        Process create = Processes.start(new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
        if (!Processes.waitFor(create, READY_TIMEOUT) || create.exitValue() != 0) {
            Processes.kill(create);
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + Processes.tail(log, 40));
        }
    }

    private static void awaitReady(List<RedisServer> nodes) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready(nodes)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Redis Cluster on " + ports(nodes) + " did not get ready in "
                        + READY_TIMEOUT.toSeconds() + " s:\n" + nodes.getFirst().command("CLUSTER", "NODES"));
            }
            sleep(100);
        }
    }

    private static boolean ready(List<RedisServer> nodes) {
        for (RedisServer node : nodes) {
            if (!node.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                return false;
            }
            String replication = node.command("INFO", "replication");
            if (replication.contains("role:master") && !replication.contains("state=online")) {
                return false;
            }
        }
        return true;
    }

    /** Every address, so that the client finds the cluster from any node that is up. */
    @Override
    public String uri() {
        return nodes.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    @Override
    public String clientType() {
        return "cluster";
    }

    /** The six nodes, primaries and replicas, in the order they were started (roles are the cluster's to change). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** Which of the nodes the cluster now has as primaries. */
    @Override
    public List<RedisServer> primaries() {
        return nodes.stream().filter(node -> node.isRunning() && node.command("ROLE").startsWith("[master")).toList();
    }

    @Override
    public String command(String... args) {
        Object reply = send(args);
        return reply == null ? null : RedisServer.render(reply);
    }

    @Override
    public List<String> commandList(String... args) {
        return RedisServer.renderList(args, send(args));
    }

    private Object send(String... args) {
        String name = args[0].toUpperCase(Locale.ROOT);
        if (EVERY_PRIMARY.contains(name)) {
            List<Object> joined = new ArrayList<>();
            Object last = null;
            for (RedisServer primary : primaries()) {
                last = primary.send(args);
                if (last instanceof List<?> items) {
                    joined.addAll(items);
                }
            }
            return last instanceof List<?> ? joined : last;
        }
        if (args.length < 2 || ONE_SERVER.contains(name)) {
            throw new IllegalArgumentException(name + " names no key: send it to one of nodes() instead");
        }
        // The key is the first argument of the commands tests send (GET, HGETALL, EXISTS, TTL, ...).
        ProtocolCommand command = () -> SafeEncoder.encode(args[0]);
        byte[][] rest = Arrays.stream(args, 1, args.length).map(arg -> arg.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        try {
            return client.sendCommand(rest[0], command, rest);
        } catch (JedisDataException e) {
            throw new IllegalStateException("Redis Cluster answered " + String.join(" ", args) + " with an error: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UncheckedIOException("the Redis Cluster on " + ports(nodes) + " did not answer " + String.join(" ", args),
                    new IOException(e));
        }
    }

    @Override
    public void close() {
        client.close();
        nodes.forEach(RedisServer::close);
    }

    @Override
    public String toString() {
        return "RedisClusterServer[" + ports(nodes) + "]";
    }

    private static String ports(List<RedisServer> nodes) {
        return nodes.stream().map(node -> Integer.toString(node.port())).collect(Collectors.joining(",", "[", "]"));
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
        }
    }
}
