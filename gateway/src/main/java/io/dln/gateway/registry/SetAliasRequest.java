package io.dln.gateway.registry;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public record SetAliasRequest(@NotNull @Min(1) Integer version) {
}
