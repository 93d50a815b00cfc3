package dev.clones.worker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.clones.testing.RabbitMqServer;
import dev.clones.testing.RedisServer;
import dev.clones.testing.S3Clients;
import dev.clones.testing.ServiceProcess;
import dev.clones.testing.TestStack;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * A {@link TestStack} with Redis, RabbitMQ and S3Proxy plus report-worker processes on it, and what the tests need
 * to play media-service's part: create report records, publish jobs, seed cart-service's data, look into storage.
 */
final class WorkerTestbed implements AutoCloseable {

    static final String BUCKET = "it-media";
    static final String QUEUE = "report-jobs";
    static final String DEAD_LETTERS = "report-jobs.dlq";
    static final int MAX_ATTEMPTS = 3;

    final TestStack stack;
    final RedisServer redis;
    final RabbitMqServer rabbit;
    final S3Client storage;
    private static final AtomicLong IDS = new AtomicLong();
    private final boolean ownsStack;

    private WorkerTestbed(TestStack stack, boolean ownsStack) {
        this.stack = stack;
        this.ownsStack = ownsStack;
        this.redis = stack.redis();
        this.rabbit = stack.rabbitMq();
        this.storage = S3Clients.of(stack.s3());
    }

    static WorkerTestbed start() {
        return new WorkerTestbed(TestStack.builder().redis().rabbitMq().s3().build(), true);
    }

    /** The helpers on a stack that someone else started and stops (a @QuarkusIntegrationTest's resource). */
    static WorkerTestbed on(TestStack stack) {
        return new WorkerTestbed(stack, false);
    }

    /** The environment ./stack gives a worker, pointed at this testbed. */
    Map<String, String> workerEnv() {
        Map<String, String> env = stack.serviceEnv();
        env.put("MEDIA_S3_BUCKET", BUCKET);
        env.put("WORKER_RETRY_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS));
        env.put("WORKER_RETRY_INITIAL_BACKOFF", "PT0.2S");
        env.put("WORKER_RETRY_MAX_BACKOFF", "PT1S");
        return env;
    }

    ServiceProcess startWorker(String name, Map<String, String> extraEnv) {
        return stack.start(stack.service(name).heap("192m").env(workerEnv()).env(extraEnv));
    }

    // --- playing media-service ------------------------------------------------------------------

    static String newId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Writes a queued report record and its index entry, as media-service does before publishing. */
    void createReportRecord(String reportId, String userId, String type, String format) {
        long now = System.currentTimeMillis();
        redis.command("HSET", "report:" + reportId, "id", reportId, "userId", userId, "type", type, "format", format,
                "status", "queued", "createdAt", Long.toString(now), "updatedAt", Long.toString(now));
        redis.command("ZADD", "user-reports:" + userId, Long.toString(now), reportId);
    }

    static String reportJob(String reportId, String userId, String type, String format) {
        return "{\"v\":1,\"type\":\"" + type + "\",\"id\":\"" + reportId + "\",\"userId\":\"" + userId
                + "\",\"format\":\"" + format + "\",\"requestedAt\":\"" + Instant.now()
                + "\",\"input\":{\"store\":\"redis\",\"dataset\":\"" + type + "\",\"owner\":\"" + userId + "\"}}";
    }

    /** Publishes persistent messages to the job exchange with publisher confirms, as media-service does. */
    void publish(String routingKey, String... bodies) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (String body : bodies) {
                channel.basicPublish("reports", routingKey, true,
                        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                        body.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish to RabbitMQ", e);
        }
    }

    void requestReport(String reportId, String userId, String type, String format) {
        createReportRecord(reportId, userId, type, format);
        publish("report", reportJob(reportId, userId, type, format));
    }

    Map<String, String> record(String reportId) {
        List<String> flat = redis.commandList("HGETALL", "report:" + reportId);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i), flat.get(i + 1));
        }
        return fields;
    }

    String status(String reportId) {
        return redis.command("HGET", "report:" + reportId, "status");
    }

    Map<String, String> awaitStatus(String reportId, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> status.equals(status(reportId)));
        return record(reportId);
    }

    // --- playing cart-service ---------------------------------------------------------------------

    /** Stores an order the way cart-service's checkout does and lists it as the user's newest. */
    void seedOrder(String userId, String orderId, Instant createdAt, Object[]... lines) {
        StringBuilder items = new StringBuilder();
        long total = 0;
        for (Object[] line : lines) {
            if (!items.isEmpty()) {
                items.append(',');
            }
            items.append("{\"sku\":\"").append(line[0]).append("\",\"name\":\"").append(line[1])
                    .append("\",\"quantity\":").append(line[2]).append(",\"priceCents\":").append(line[3]).append('}');
            total += ((Number) line[2]).longValue() * ((Number) line[3]).longValue();
        }
        String json = "{\"id\":\"" + orderId + "\",\"userId\":\"" + userId + "\",\"items\":[" + items
                + "],\"totalCents\":" + total + ",\"createdAt\":" + createdAt.toEpochMilli() + "}";
        redis.command("SET", "order:" + orderId, json);
        redis.command("LPUSH", "user-orders:" + userId, orderId);
    }

    void seedProduct(String sku, String name, long priceCents) {
        redis.command("HSET", "catalogue:products", sku, "{\"name\":\"" + name + "\",\"priceCents\":" + priceCents + "}");
    }

    void seedCartLine(String userId, String sku, int quantity) {
        redis.command("HSET", "cart:" + userId, sku, Integer.toString(quantity), "_version", "1");
    }

    // --- looking into the broker and storage ------------------------------------------------------

    /** Messages in a queue (ready plus unacknowledged). */
    long messages(String queue) {
        String listing = rabbit.ctl("-q", "list_queues", "name", "messages");
        for (String line : listing.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 2 && cells[0].equals(queue)) {
                return Long.parseLong(cells[1]);
            }
        }
        throw new IllegalStateException("No queue " + queue + " in\n" + listing);
    }

    /** Messages ready for delivery in a queue, asked over AMQP (much faster than rabbitmqctl). */
    long readyMessages(String queue) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot ask RabbitMQ about " + queue, e);
        }
    }

    /** Waits until a queue holds no message at all, neither ready nor being worked on. */
    void awaitQueueEmpty(String queue, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> messages(queue) == 0);
    }

    static String maintenanceJob() {
        return "{\"v\":1,\"type\":\"maintenance\",\"id\":\"" + newId("maintenance") + "\",\"requestedAt\":\"" + Instant.now() + "\"}";
    }

    List<S3Object> objects(String prefix) {
        return storage.listObjectsV2(l -> l.bucket(BUCKET).prefix(prefix)).contents();
    }

    void putObject(String key, String content) {
        storage.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    @Override
    public void close() {
        storage.close();
        if (ownsStack) {
            stack.close();
        }
    }
}
