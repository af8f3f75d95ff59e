package io.dln.llm;

/** A run needs something its backend cannot do; raised up front, before any training call. */
public class MissingCapabilityException extends IllegalStateException {

    private final String backend;

    public MissingCapabilityException(String backend, String message) {
        super(message);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
