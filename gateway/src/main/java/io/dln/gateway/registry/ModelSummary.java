package io.dln.gateway.registry;

import java.time.OffsetDateTime;
import java.util.Map;

/** A trained DLN by name: how many versions, the newest, and where its aliases point. */
public record ModelSummary(String name, int latestVersion, long versions, Map<String, Integer> aliases,
                           OffsetDateTime updatedAt) {
}
