package io.dln.gateway.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A key to create: its tenant defaults to the creator's; its rate limits to the gateway's defaults. */
public record CreateKeyRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull Role role,
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}", message = "must be 1-100 letters, digits, '.', '_' or '-'") String tenant,
        @Positive @Schema(description = "At most the tenant's ceiling (dln.gateway.tenants.<tenant>.max-requests-per-second)") Double requestsPerSecond,
        @Positive @Schema(description = "At most the tenant's ceiling (dln.gateway.tenants.<tenant>.max-burst)") Integer burst) {
}
