package io.dln.gateway.registry;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public record VersionSummary(int version, int layers, Map<String, Object> metrics, UUID sourceRunId, List<String> aliases,
                             OffsetDateTime createdAt) {
}
