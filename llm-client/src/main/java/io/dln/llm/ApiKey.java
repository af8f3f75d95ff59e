package io.dln.llm;

import java.util.Optional;
import java.util.function.Function;

/** The secret resolved from the environment. Its toString never shows it; text from servers is scrubbed of it. */
final class ApiKey {

    static final ApiKey NONE = new ApiKey(null);
    private static final String MASK = "***";

    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    /** Looks up the variable named by the config; a named but unset variable is a configuration error. */
    static ApiKey resolve(BackendConfig config, Function<String, String> environment) {
        if (config.apiKeyEnv() == null) return NONE;
        String value = environment.apply(config.apiKeyEnv());
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("backend '" + config.name() + "': the environment variable "
                    + config.apiKeyEnv() + " named by apiKeyEnv is not set");
        }
        return new ApiKey(value.strip());
    }

    Optional<String> value() {
        return Optional.ofNullable(secret);
    }

    /** Replaces every occurrence of the key in {@code text}, e.g. a server echoing a rejected key. */
    String scrub(String text) {
        if (secret == null || text == null) return text;
        return text.replace(secret, MASK);
    }

    /** Whether any message in the cause chain contains the key. */
    boolean appearsIn(Throwable t) {
        if (secret == null) return false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains(secret)) return true;
            if (c.getCause() == c) break;
        }
        return false;
    }

    @Override
    public String toString() {
        return secret == null ? "ApiKey[none]" : "ApiKey[" + MASK + "]";
    }
}
