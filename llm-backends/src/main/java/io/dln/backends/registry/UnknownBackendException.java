package io.dln.backends.registry;

import java.util.Collection;

/** A request named a backend this service has no configuration for. */
public class UnknownBackendException extends IllegalArgumentException {

    private final String backend;

    public UnknownBackendException(String backend, Collection<String> known) {
        super("unknown backend '" + backend + "'; this service knows " + (known.isEmpty()
                ? "none (configure dln.backends.<name>.base-url and .model)"
                : String.join(", ", known) + " (configured under dln.backends.<name>)"));
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
