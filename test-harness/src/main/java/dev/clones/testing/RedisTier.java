package dev.clones.testing;

import java.util.List;

/**
 * The Redis a test stack's services use: one {@link RedisServer}, or a {@link RedisClusterServer} of several. Tests
 * that only look into Redis (read a key, flush) take this type and so run against either; tests that stop, restart or
 * proxy the one server take {@link RedisServer}.
 */
public sealed interface RedisTier permits RedisServer, RedisClusterServer {

    /** The value of {@code quarkus.redis.hosts}: every address the client may start from, comma separated. */
    String uri();

    /** The value of {@code quarkus.redis.client-type}: {@code standalone} or {@code cluster}. */
    String clientType();

    /** The servers that take writes: the one server, or the cluster's primaries now; for per-server figures (INFO). */
    List<RedisServer> primaries();

    /** One command, its reply rendered as {@link RedisServer#command} describes; on a cluster it goes to the key's node. */
    String command(String... args);

    /** One command whose reply is an array; nil elements are {@code null}. */
    List<String> commandList(String... args);
}
