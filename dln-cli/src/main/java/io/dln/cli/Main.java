package io.dln.cli;

import io.dln.cli.gateway.GatewayException;
import io.dln.cli.gateway.GatewayUnreachableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code dln} command. */
@Command(name = "dln", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Train and use Deep Language Networks: in this process ('train'), or through the gateway "
                + "(datasets, runs, models, predict, keys).",
        subcommands = {TrainCommand.class, TasksCommand.class, GenerateDataCommand.class, DatasetsCommand.class,
                RunsCommand.class, ModelsCommand.class, PredictCommand.class, KeysCommand.class})
public final class Main {

    static final String VERSION = "dln 0.1.0";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (see {@link ExitCodes}) instead of exiting. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()))
                .setParameterExceptionHandler(Main::usageError);
        withHelp(cli);
        return cli.execute(args);
    }

    /** --help and --version on every command, not only on 'dln'. */
    private static void withHelp(CommandLine command) {
        command.getCommandSpec().mixinStandardHelpOptions(true);
        command.getCommandSpec().version(VERSION);
        command.getSubcommands().values().forEach(Main::withHelp);
    }

    /** What is wrong with the command line and where the options are explained, without the whole help text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("dln: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int report(Exception e, PrintWriter err) {
        if (e instanceof GatewayUnreachableException unreachable) {
            err.println("dln: " + unreachable.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        if (e instanceof GatewayException failure) {
            err.println("dln: " + failure.describe());
            return ExitCodes.FAILURE;
        }
        err.println("dln: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return ExitCodes.FAILURE;
    }
}
