package io.dln.gateway.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What a key may do. ADMIN: everything in its tenant, and its tenant's keys. TRAINER: data sets, runs, the
 * registry and inference. INFERENCE: reading the registry and inference.
 */
public enum Role {
    ADMIN, TRAINER, INFERENCE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text)) return r;
        }
        throw new IllegalArgumentException("unknown role '" + text + "'; roles: admin, trainer, inference");
    }
}
