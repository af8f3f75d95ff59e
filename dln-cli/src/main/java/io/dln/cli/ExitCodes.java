package io.dln.cli;

/** Exit codes scripts can rely on. */
final class ExitCodes {

    static final int OK = 0;
    /** The command ran and failed (a backend error, bad data, a refused setting). */
    static final int FAILURE = 1;
    /** The command line itself is wrong (picocli's own code). */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
