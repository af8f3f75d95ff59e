package io.dln.gateway.security;

import java.util.UUID;

/**
 * Who is calling: the key (null id for the bootstrap key), its tenant and role, and its own rate limits if any.
 * {@code operator} marks the bootstrap key, which may manage the keys of every tenant.
 */
public record Caller(UUID keyId, String keyName, String tenant, Role role, boolean operator,
                     Double requestsPerSecond, Integer burst) {

    /** The rate limiter's bucket key. */
    public String bucket() {
        return keyId == null ? "bootstrap" : keyId.toString();
    }
}
