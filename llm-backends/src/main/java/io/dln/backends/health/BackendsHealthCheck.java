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
 * Reports each backend's state from its start-up probe and from what its recent calls and periodic pings say
 * ({@link CallHealth}), and is down only when every configured backend is unusable (probe failed, or its calls and
 * pings mostly fail, e.g. every one refused with 401): one unused or broken backend must not take a service that
 * serves the others out of rotation. Backends not probed yet, or still being probed, count as usable so that a slow
 * server does not hold the service back at start.
 */
@Readiness
@ApplicationScoped
public class BackendsHealthCheck implements HealthCheck {

    @Inject
    BackendRegistry registry;

    @Override
    public HealthCheckResponse call() {
        Map<String, ProbeStatus> probes = registry.status();
        Map<String, CallHealth.Snapshot> calls = registry.callHealth();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("LLM backends");
        boolean anyUsable = probes.isEmpty();
        for (var e : probes.entrySet()) {
            CallHealth.Snapshot c = calls.get(e.getKey());
            response.withData(e.getKey(), describe(e.getValue(), c));
            anyUsable |= e.getValue().state() != ProbeStatus.State.FAILED && c.state() != CallHealth.State.DOWN;
        }
        return response.status(anyUsable).build();
    }

    private static String describe(ProbeStatus s, CallHealth.Snapshot c) {
        if (c.state() != CallHealth.State.UP) {
            return c.state().name().toLowerCase() + ": " + c.failed() + " of the last " + c.recent()
                    + " calls and pings failed; last: " + c.lastError();
        }
        return switch (s.state()) {
            case OK -> "ok: echo=" + s.capabilities().echoLogprobs() + ", top-k=" + s.capabilities().maxTopLogprobs()
                    + (c.failed() > 0 ? "; " + c.failed() + " of the last " + c.recent() + " calls and pings failed" : "");
            case FAILED -> "unreachable: " + s.error();
            case NOT_PROBED -> "not probed";
            case PROBING -> "probing";
        };
    }
}
