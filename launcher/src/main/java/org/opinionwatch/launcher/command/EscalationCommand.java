package org.opinionwatch.launcher.command;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.escalation.Escalation;
import org.opinionwatch.launcher.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "escalation", mixinStandardHelpOptions = true,
        description = "Runs the escalation stage until interrupted: incidents.severity, incidents and clock to notifications "
                + "and tracking. Start more instances with the same config to share the work.")
public final class EscalationCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        return UntilStopped.run(this::run);
    }

    private void run(CountDownLatch stop) throws Exception {
        try (var c = cluster.cluster(cluster.load())) {
            Pipeline.createTopics(c.config(), false);
            KafkaStreams streams = Escalation.start(c.config(), null);
            try {
                System.out.printf("Escalation %s running (Ctrl-C to stop)%n", c.config().escalation().applicationId());
                stop.await();
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
