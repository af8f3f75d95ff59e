package io.dln.gateway.registry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public record SetAliasRequest(@NotNull @Min(1) @Max(999_999_999) Integer version) {
}
