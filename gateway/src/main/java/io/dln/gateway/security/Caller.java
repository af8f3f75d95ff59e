package io.dln.gateway.security;

import java.util.UUID;

/**
 * Who is calling: the key (null id for the bootstrap key and for OIDC tokens), its tenant and role, and its own
 * rate limits if any. {@code operator} marks the bootstrap key, which may manage the keys of every tenant. It is
 * an attribute of the request's {@code SecurityIdentity}.
 */
public record Caller(UUID keyId, String keyName, String tenant, Role role, boolean operator,
                     Double requestsPerSecond, Integer burst) {

    /** The name of the {@code SecurityIdentity} attribute that holds the caller. */
    public static final String ATTRIBUTE = "dln.caller";
    /** The name of the attribute that holds the caller's tenant, for code that reads attributes only. */
    public static final String TENANT_ATTRIBUTE = "tenant";

    /** The rate limiter's bucket key. */
    public String bucket() {
        return keyId != null ? keyId.toString() : keyName;
    }
}
