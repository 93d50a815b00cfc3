package dev.clones.media.reports;

import com.rabbitmq.client.Address;
import dev.clones.contracts.ReportQueue;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Declares the job queue and its dead-letter queue before any job is published, and again after every
 * reconnection (a broker that lost its definitions gets them back). A job published to the exchange with no
 * queue bound would be confirmed by the broker and dropped, so publishing waits for {@link #isDeclared()}.
 *
 * <p>report-worker declares the same topology through its RabbitMQ connector; names and arguments come from
 * {@link ReportQueue} on both sides.
 */
@ApplicationScoped
public class ReportQueueTopology {

    private static final Logger LOG = Logger.getLogger(ReportQueueTopology.class);

    private final Vertx vertx;
    private final ReportsConfig config;
    private volatile RabbitMQClient client;
    private volatile boolean declared;

    public ReportQueueTopology(Vertx vertx, ReportsConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        RabbitMQOptions options = new RabbitMQOptions()
                .setHost(config.broker().host())
                .setPort(config.broker().port())
                .setUser(config.broker().username())
                .setPassword(config.broker().password())
                .setSsl(config.broker().ssl())
                .setConnectionName("media-service (report topology)")
                .setConnectionTimeout(5_000)
                .setRequestedHeartbeat(10)
                .setAutomaticRecoveryEnabled(false)
                .setAutomaticRecoveryOnInitialConnection(true)
                // Keep trying for as long as it takes: requests are answered 503 meanwhile.
                .setReconnectAttempts(Integer.MAX_VALUE)
                .setReconnectInterval(1_000);
        config.broker().addresses().ifPresent(addresses -> options.setAddresses(List.of(Address.parseAddresses(addresses))));
        client = RabbitMQClient.create(vertx, options);
        client.getDelegate().addConnectionEstablishedCallback(promise -> declare(client)
                .subscribe().with(ok -> {
                    declared = true;
                    promise.complete();
                }, failure -> {
                    LOG.warnf("Cannot declare the report job queue: %s", failure.toString());
                    promise.fail(failure);
                }));
        client.start().subscribe().with(ok -> LOG.info("Report job queue declared"),
                failure -> LOG.warnf("No connection to RabbitMQ yet (%s); report requests are answered 503 until there is", failure.toString()));
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (client != null) {
            client.stop().subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** True once this replica has seen the queue declared on the broker. */
    public boolean isDeclared() {
        return declared && client != null && client.isConnected();
    }

    private Uni<Void> declare(RabbitMQClient rabbit) {
        JsonObject queueArguments = new JsonObject(ReportQueue.queueArguments(config.queue().deliveryLimit(), config.queue().maxLength()));
        return rabbit.exchangeDeclare(ReportQueue.EXCHANGE, ReportQueue.EXCHANGE_TYPE, true, false)
                .chain(() -> rabbit.exchangeDeclare(ReportQueue.DEAD_LETTER_EXCHANGE, ReportQueue.EXCHANGE_TYPE, true, false))
                .chain(() -> rabbit.queueDeclare(ReportQueue.QUEUE, true, false, false, queueArguments))
                .chain(() -> rabbit.queueBind(ReportQueue.QUEUE, ReportQueue.EXCHANGE, ReportQueue.REPORT_ROUTING_KEY))
                .chain(() -> rabbit.queueBind(ReportQueue.QUEUE, ReportQueue.EXCHANGE, ReportQueue.MAINTENANCE_ROUTING_KEY))
                .chain(() -> rabbit.queueDeclare(ReportQueue.DEAD_LETTER_QUEUE, true, false, false,
                        new JsonObject(ReportQueue.deadLetterQueueArguments())))
                .chain(() -> rabbit.queueBind(ReportQueue.DEAD_LETTER_QUEUE, ReportQueue.DEAD_LETTER_EXCHANGE, ReportQueue.DEAD_LETTER_ROUTING_KEY))
                .replaceWithVoid();
    }
}
