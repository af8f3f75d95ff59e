package io.dln.simulator.world;

import io.dln.simulator.config.SimulatorConfig;

/** The knobs of the simulated model's skill; see {@link SimulatorConfig.World} for their meaning. */
public record WorldTuning(double oneLayerCap, double analysisCap, double rightAnalysisAccuracy,
                          double wrongAnalysisAccuracy, double sharpness, double promptJitter) {

    public static final WorldTuning DEFAULT = new WorldTuning(0.78, 0.95, 0.93, 0.15, 8, 0.1);

    public static WorldTuning of(SimulatorConfig.World w) {
        return new WorldTuning(w.oneLayerCap(), w.analysisCap(), w.rightAnalysisAccuracy(),
                w.wrongAnalysisAccuracy(), w.sharpness(), w.promptJitter());
    }
}
