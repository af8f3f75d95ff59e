package io.dln.gateway.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do. ADMIN: everything in its tenant, and its tenant's keys. TRAINER: data sets, runs, the
 * registry and inference. INFERENCE: reading the registry and inference. The role names are those of the caller's
 * {@code SecurityIdentity}, which endpoints check with {@code @RolesAllowed}.
 */
public enum Role {
    ADMIN, TRAINER, INFERENCE;

    /** The role names as constants, for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String ADMIN = "admin";
        public static final String TRAINER = "trainer";
        public static final String INFERENCE = "inference";

        private Names() {
        }
    }

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

    /** The strongest of our roles among {@code names} (a token may carry others), or null when it has none. */
    public static Role strongest(Set<String> names) {
        for (Role r : values()) {
            if (names.contains(r.json())) return r;
        }
        return null;
    }
}
