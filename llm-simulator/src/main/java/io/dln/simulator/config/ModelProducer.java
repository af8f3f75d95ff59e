package io.dln.simulator.config;

import io.dln.simulator.world.SimulatedModel;
import io.dln.simulator.world.WorldTuning;
import io.dln.tasks.TaskWorld;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Builds the simulated model once, from the configuration. */
@ApplicationScoped
public class ModelProducer {

    @Produces
    @ApplicationScoped
    SimulatedModel model(SimulatorConfig config) {
        return new SimulatedModel(TaskWorld.standard(), WorldTuning.of(config.world()), config.seed());
    }
}
