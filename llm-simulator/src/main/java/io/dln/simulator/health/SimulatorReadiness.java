package io.dln.simulator.health;

import io.dln.simulator.latency.Pacer;
import io.dln.simulator.world.SimulatedModel;
import io.dln.tasks.TaskFamily;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the task world is loaded; reports the families and how busy the capacity model is. */
@Readiness
@ApplicationScoped
public class SimulatorReadiness implements HealthCheck {

    private final SimulatedModel model;
    private final Pacer pacer;

    public SimulatorReadiness(SimulatedModel model, Pacer pacer) {
        this.model = model;
        this.pacer = pacer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("llm-simulator")
                .status(!model.world().families().isEmpty())
                .withData("task-families", String.join(",", model.world().families().stream().map(TaskFamily::name).toList()))
                .withData("slots-in-use", pacer.gate().inUse())
                .withData("queued", pacer.gate().queued())
                .build();
    }
}
