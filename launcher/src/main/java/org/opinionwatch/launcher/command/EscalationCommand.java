package org.opinionwatch.launcher.command;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.opinionwatch.contract.config.OpinionWatchConfig;
import org.opinionwatch.escalation.Escalation;
import picocli.CommandLine.Command;

@Command(name = "escalation", mixinStandardHelpOptions = true,
        description = "Runs the escalation stage until interrupted: incidents.severity, incidents and clock to notifications "
                + "and tracking. Start more instances with the same config to share the work.")
public final class EscalationCommand extends StageCommand {
    @Override
    void run(OpinionWatchConfig config, CountDownLatch stop) throws Exception {
        KafkaStreams streams = Escalation.start(config, null);
        try {
            System.out.printf("Escalation %s running (Ctrl-C to stop)%n", config.escalation().applicationId());
            stop.await();
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }
}
