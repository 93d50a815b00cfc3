package dev.clones.worker;

import dev.clones.worker.messaging.MaintenanceTrigger;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code java -jar quarkus-run.jar} runs the worker; {@code java -jar quarkus-run.jar publish-maintenance}
 * publishes one maintenance job and exits (for a timer or a Kubernetes CronJob; see {@link MaintenanceTrigger}).
 */
@QuarkusMain
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && MaintenanceTrigger.COMMAND.equals(args[0])) {
            System.exit(MaintenanceTrigger.publish(System.getenv(), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
