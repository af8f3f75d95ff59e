package io.dln.backends.health;

import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.ProbeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * Reports each backend's probe state, and is down only when every configured backend is known to be unreachable:
 * one unused or broken backend must not take a service that serves the others out of rotation. Backends not probed
 * yet, or still being probed, count as usable so that a slow server does not hold the service back at start.
 */
@Readiness
@ApplicationScoped
public class BackendsHealthCheck implements HealthCheck {

    @Inject
    BackendRegistry registry;

    @Override
    public HealthCheckResponse call() {
        Map<String, ProbeStatus> all = registry.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("LLM backends");
        all.forEach((name, s) -> response.withData(name, describe(s)));
        boolean allUnreachable = !all.isEmpty() && all.values().stream().allMatch(s -> s.state() == ProbeStatus.State.FAILED);
        return response.status(!allUnreachable).build();
    }

    private static String describe(ProbeStatus s) {
        return switch (s.state()) {
            case OK -> "ok: echo=" + s.capabilities().echoLogprobs() + ", top-k=" + s.capabilities().maxTopLogprobs();
            case FAILED -> "unreachable: " + s.error();
            case NOT_PROBED -> "not probed";
            case PROBING -> "probing";
        };
    }
}
