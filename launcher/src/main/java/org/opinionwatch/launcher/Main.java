package org.opinionwatch.launcher;

import org.opinionwatch.launcher.command.ActCommand;
import org.opinionwatch.launcher.command.BacktestCommand;
import org.opinionwatch.launcher.command.BenchCommand;
import org.opinionwatch.launcher.command.BrokerCommand;
import org.opinionwatch.launcher.command.ClassifierCommand;
import org.opinionwatch.launcher.command.DemoCommand;
import org.opinionwatch.launcher.command.EscalationCommand;
import org.opinionwatch.launcher.command.ExportCommand;
import org.opinionwatch.launcher.command.IngestCommand;
import org.opinionwatch.launcher.command.NotifyCommand;
import org.opinionwatch.launcher.command.ReplayCommand;
import org.opinionwatch.launcher.command.RulesCommand;
import org.opinionwatch.launcher.command.SilenceCommand;
import org.opinionwatch.launcher.command.TopicsCommand;
import org.opinionwatch.launcher.command.TrySourceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "opinion-watch", mixinStandardHelpOptions = true, version = "opinion-watch 0.1.0",
        description = "Watches online public opinion about an institution and drives its emergency plan.",
        subcommands = {DemoCommand.class, ReplayCommand.class, BacktestCommand.class, ExportCommand.class, IngestCommand.class,
                ClassifierCommand.class, EscalationCommand.class, NotifyCommand.class, ActCommand.class, SilenceCommand.class,
                RulesCommand.class, BrokerCommand.class, BenchCommand.class, TopicsCommand.class, TrySourceCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A config mistake or a bad archive path is the user's to fix: say what, not a stack trace.
                    cmd.getErr().println("opinion-watch " + cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }
}
