package io.dln.cli;

/** Exit codes scripts can rely on. */
final class ExitCodes {

    static final int OK = 0;
    /** The command ran and failed: a backend error, bad data, a refused setting, an error answered by the gateway, a failed run. */
    static final int FAILURE = 1;
    /** The command line itself is wrong (picocli's own code). */
    static final int USAGE = 2;
    /** The gateway does not answer at its URL. */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
