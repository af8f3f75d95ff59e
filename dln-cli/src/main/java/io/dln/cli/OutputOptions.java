package io.dln.cli;

import picocli.CommandLine.Option;

/** How a command prints what the gateway answered: as text for people, as JSON, or only the id for scripts. */
final class OutputOptions {

    @Option(names = "--json", description = "Print the gateway's answer as JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the id (or key) of what was made or found.")
    boolean quiet;
}
