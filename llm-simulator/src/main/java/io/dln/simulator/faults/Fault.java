package io.dln.simulator.faults;

import java.util.Locale;

/** What may go wrong with one request, on purpose. */
public enum Fault {
    NONE("ok"),
    RATE_LIMITED("rate_limited"),
    SERVER_ERROR("server_error"),
    UNAVAILABLE("unavailable"),
    HANG("hang"),
    SLOW("slow"),
    TRUNCATED("truncated");

    private final String outcome;

    Fault(String outcome) {
        this.outcome = outcome;
    }

    /** The outcome tag of the request metrics. */
    public String outcome() {
        return outcome;
    }

    /** Faults answered at once with an error status, without running the model. */
    public boolean immediate() {
        return this == RATE_LIMITED || this == SERVER_ERROR || this == UNAVAILABLE;
    }

    /** The names accepted by the X-Simulator-Fault header: 429, 500, 503, hang, slow, truncated, none. */
    public static Fault named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "429", "rate-limited" -> RATE_LIMITED;
            case "500", "server-error" -> SERVER_ERROR;
            case "503", "unavailable" -> UNAVAILABLE;
            case "hang" -> HANG;
            case "slow" -> SLOW;
            case "truncated" -> TRUNCATED;
            case "none", "" -> NONE;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
