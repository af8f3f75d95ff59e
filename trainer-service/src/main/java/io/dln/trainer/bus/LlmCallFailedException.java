package io.dln.trainer.bus;

/** A worker answered a call with an error after its own retries. */
public class LlmCallFailedException extends RuntimeException {

    public LlmCallFailedException(String message) {
        super(message);
    }
}
