package io.dln.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dln} command. */
@Command(name = "dln", mixinStandardHelpOptions = true, version = "dln 0.1.0",
        description = "Train and use Deep Language Networks.",
        subcommands = {TrainCommand.class, TasksCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("dln: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return ExitCodes.FAILURE;
                })
                .execute(args);
    }
}
