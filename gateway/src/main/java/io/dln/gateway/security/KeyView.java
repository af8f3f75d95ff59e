package io.dln.gateway.security;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A key as listings show it: never the key, only its first characters. */
public record KeyView(UUID id, String name, String tenant, Role role, String prefix, Double requestsPerSecond,
                      Integer burst, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
}
