package io.dln.gateway.inference;

import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.ProbeStatus;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The LLM backends, at /q/health/group/backends. Not part of readiness: an unreachable backend stops inference on
 * the models that use it, not the data sets, runs and registry this gateway also serves. This page is public, so it
 * shows each backend's state only; the probe's error is in the log.
 */
@HealthGroup("backends")
@ApplicationScoped
public class BackendsHealth implements HealthCheck {

    private final BackendRegistry backends;

    public BackendsHealth(BackendRegistry backends) {
        this.backends = backends;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("LLM backends").up();
        backends.status().forEach((name, s) -> {
            response.withData(name, s.state().name().toLowerCase());
            if (s.state() == ProbeStatus.State.FAILED) response.down();
        });
        return response.build();
    }
}
