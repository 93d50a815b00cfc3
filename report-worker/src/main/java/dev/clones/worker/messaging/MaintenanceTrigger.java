package dev.clones.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.clones.contracts.ReportJob;
import dev.clones.contracts.ReportQueue;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes one maintenance job, then exits: a timer (./stack, a Kubernetes CronJob) runs
 * {@code java -jar quarkus-run.jar publish-maintenance}, and whichever worker takes the job does the work.
 * No server runs maintenance, and no worker needs to know when it is due.
 *
 * <p>Runs without starting Quarkus (so it neither consumes jobs nor opens the HTTP port) and reads the same
 * environment as the worker: {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME},
 * {@code RABBITMQ_PASSWORD}, {@code RABBITMQ_SSL} (TLS with the JVM's trusted certificates). The message is persistent, published with {@code mandatory} and confirmed by
 * the broker before the exit code is 0; it fails (exit 2) when no queue takes it, i.e. no worker has ever
 * declared the job queue.
 */
public final class MaintenanceTrigger {

    public static final String COMMAND = "publish-maintenance";
    static final String EXCHANGE = ReportQueue.EXCHANGE;
    static final String ROUTING_KEY = ReportQueue.MAINTENANCE_ROUTING_KEY;

    private MaintenanceTrigger() {
    }

    public static int publish(Map<String, String> env, PrintStream out, PrintStream err) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(env.getOrDefault("RABBITMQ_HOST", "localhost"));
        factory.setPort(Integer.parseInt(env.getOrDefault("RABBITMQ_PORT", "5672")));
        factory.setUsername(env.getOrDefault("RABBITMQ_USERNAME", "guest"));
        factory.setPassword(env.getOrDefault("RABBITMQ_PASSWORD", "guest"));
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(false);
        if (Boolean.parseBoolean(env.getOrDefault("RABBITMQ_SSL", "false"))) {
            try {
                factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                factory.enableHostnameVerification();
            } catch (java.security.NoSuchAlgorithmException e) {
                err.println("No TLS available: " + e);
                return 1;
            }
        }
        String id = "maintenance-" + UUID.randomUUID();
        // Written by hand, not with Jackson: this command starts no application and should stay that light.
        String body = "{\"v\":" + ReportJob.VERSION + ",\"type\":\"" + ReportJob.MAINTENANCE + "\",\"id\":\"" + id
                + "\",\"requestedAt\":\"" + Instant.now() + "\"}";
        try (Connection connection = factory.newConnection("report-worker (maintenance trigger)");
             Channel channel = connection.createChannel()) {
            AtomicBoolean unroutable = new AtomicBoolean();
            channel.addReturnListener(returned -> unroutable.set(true));
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).messageId(id).timestamp(new java.util.Date())
                    .build();
            channel.basicPublish(EXCHANGE, ROUTING_KEY, true, properties, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // A returned message is delivered before its confirm, so the flag is set by the time this returns.
            channel.waitForConfirmsOrDie(10_000);
            if (unroutable.get()) {
                err.println("No queue is bound for maintenance jobs on exchange '" + EXCHANGE + "': start a report-worker once, then retry.");
                return 2;
            }
            out.println("Published maintenance job " + id);
            return 0;
        } catch (Exception e) {
            err.println("Could not publish a maintenance job to " + factory.getHost() + ":" + factory.getPort() + ": " + e);
            return 1;
        }
    }
}
