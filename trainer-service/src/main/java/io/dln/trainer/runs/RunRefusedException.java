package io.dln.trainer.runs;

/** A run that cannot go on as configured; the message says what to change. */
public class RunRefusedException extends RuntimeException {

    public RunRefusedException(String message) {
        super(message);
    }
}
