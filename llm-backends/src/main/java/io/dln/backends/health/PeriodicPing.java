package io.dln.backends.health;

import io.dln.backends.registry.BackendRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Pings every backend every {@code dln.backend-health.probe-interval}, so that health does not rely on traffic alone. */
@ApplicationScoped
public class PeriodicPing {

    @Inject
    BackendRegistry registry;

    @Scheduled(every = "${dln.backend-health.probe-interval:30s}", delayed = "${dln.backend-health.probe-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void ping() {
        registry.pingAll();
    }
}
