package io.dln.trainer.runs;

/** The run was cancelled while a step was under way: its calls fail with this, and the step is not stored. */
final class RunCancelledException extends RuntimeException {

    static final RunCancelledException INSTANCE = new RunCancelledException();

    private RunCancelledException() {
        super("the run was cancelled", null, false, false);
    }
}
