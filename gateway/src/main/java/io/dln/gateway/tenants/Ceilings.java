package io.dln.gateway.tenants;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's per-tenant ceilings: {@code dln.gateway.tenants.<tenant>.*}, each unset one from
 * {@code dln.gateway.tenant-defaults.*}. A tenant's admin cannot raise them; only configuration can.
 */
@ApplicationScoped
public class Ceilings {

    private final GatewayConfig.TenantDefaults defaults;
    private final Map<String, GatewayConfig.TenantCeilings> tenants;
    private final Map<String, Ceiling> resolved = new ConcurrentHashMap<>();

    public Ceilings(GatewayConfig config) {
        this.defaults = config.tenantDefaults();
        this.tenants = config.tenants();
    }

    public Ceiling of(String tenant) {
        return resolved.computeIfAbsent(tenant, this::resolve);
    }

    /** Refuses with 403 a backend the tenant may not use, naming the field that named it. */
    public void checkBackend(String tenant, String field, String backend) {
        Ceiling ceiling = of(tenant);
        if (backend != null && !ceiling.allows(backend)) {
            throw new ApiException(403, "backend_not_allowed", field + ": this tenant may not use backend '" + backend
                    + "'; it may use: " + String.join(", ", ceiling.backends()),
                    List.of(FieldProblem.of(field, "backend '" + backend + "' is not allowed for this tenant")), Map.of());
        }
    }

    private Ceiling resolve(String tenant) {
        GatewayConfig.TenantCeilings own = tenants.get(tenant);
        Set<String> backends = (own != null && own.backends().isPresent() ? own.backends() : defaults.backends())
                .map(list -> (Set<String>) new LinkedHashSet<>(list.stream().map(String::strip).toList())).orElse(null);
        if (own == null) {
            return new Ceiling(defaults.maxKeys(), defaults.maxRequestsPerSecond(), defaults.maxBurst(),
                    defaults.maxConcurrentRuns(), defaults.maxTokensPerDay(), backends);
        }
        return new Ceiling(own.maxKeys().orElse(defaults.maxKeys()),
                own.maxRequestsPerSecond().orElse(defaults.maxRequestsPerSecond()),
                own.maxBurst().orElse(defaults.maxBurst()),
                own.maxConcurrentRuns().orElse(defaults.maxConcurrentRuns()),
                own.maxTokensPerDay().orElse(defaults.maxTokensPerDay()), backends);
    }
}
