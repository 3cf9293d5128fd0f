package org.opinionwatch.launcher.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opinionwatch.broker.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs a single-node Kafka broker (KRaft) until interrupted, for the stages to connect to.")
public final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0", description = "Port of the broker; 0 picks a free one (default).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its log; kept across restarts. Default: a temporary directory, deleted on exit.")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers() + "  (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
