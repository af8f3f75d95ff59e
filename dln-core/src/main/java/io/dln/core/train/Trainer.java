package io.dln.core.train;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.Guidance;
import io.dln.core.model.GuidanceAction;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.model.PatienceRule;
import io.dln.core.model.RememberedPrompts;
import io.dln.core.model.StepOutcome;
import io.dln.core.random.Rng;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The outer training loop. Each call of {@link #runIteration} takes a state and returns the next one,
 * so a caller can checkpoint after every iteration and resume from any checkpoint: given the same
 * state and a deterministic backend, the remaining iterations are exactly those of an uninterrupted run.
 * <p>
 * An iteration runs one step on a fresh training batch, then validates the updated prompts on dev when
 * due (every {@code validateEvery} iterations, and always after the last one), remembers the best
 * prompts, and after {@code patience} validations without improvement either reloads the best prompts
 * and goes on (the paper's tolerance) or stops, as {@code patienceRule} says. Before its step, the first
 * iteration validates the initial prompts when asked to ({@code validateFirst}), and any iteration whose
 * validation is due validates prompts a person has just set. So a run of N iterations takes exactly N
 * steps, and {@link TrainingState#iteration()} counts the iterations done.
 */
public final class Trainer {

    private final DeepLanguageNetwork network;
    private final Dataset dataset;
    private final DlnSettings settings;
    private final LongSupplier tokenCounter;
    private final TrainingListener listener;
    private final BatchSampler batches;
    private final Evaluator evaluator;

    public Trainer(DeepLanguageNetwork network, Dataset dataset, LongSupplier tokenCounter, TrainingListener listener) {
        this.network = network;
        this.dataset = dataset;
        this.settings = network.settings();
        this.tokenCounter = tokenCounter;
        this.listener = listener;
        this.batches = new BatchSampler(dataset.train(), network.loss()::normalize, settings.balanceBatch());
        this.evaluator = new Evaluator(network, listener);
    }

    public TrainingState start(long seed) {
        NetworkPrompts initial = new NetworkPrompts(settings.initP1(),
                settings.initP2() != null ? settings.initP2() : dataset.instruction());
        return new TrainingState(0, initial, List.of(), 0.0, initial, 0, Rng.seeded(seed).state(), Map.of(), 0,
                false, null);
    }

    public TrainingState runIteration(TrainingState state) {
        return runIteration(state, List.of());
    }

    /**
     * Applies a person's {@code guidance} (in order) at the start of the iteration, then runs it: a pinned or written
     * prompt is the layer's prompt from here on (validated before the step when validation is due), and the guidance
     * stays in the state for the steps to come. The same state and guidance always give the same next state.
     */
    public TrainingState runIteration(TrainingState state, List<GuidanceAction> guidance) {
        if (state.finished()) throw new IllegalStateException("the run is finished; nothing to resume");
        network.forgetScores();
        long tokensBefore = tokenCounter.getAsLong();
        int iteration = state.iteration();
        Rng rng = new Rng(state.rngState());
        NetworkPrompts prompts = state.prompts();
        Guidance guided = state.guidanceOrNone();
        for (GuidanceAction action : guidance) {
            if (action.layer() == 1 && !settings.twoLayers()) {
                throw new IllegalArgumentException("a DLN-1 network has one layer, its output layer (layer 2); guidance named layer 1");
            }
            guided = guided.with(action);
            prompts = action.applyTo(prompts);
        }
        Validation validation = new Validation(state);

        Double startDevAccuracy = null;
        boolean first = iteration == 0 && (settings.validateFirst() || settings.iterations() == 0);
        boolean setByPerson = !prompts.equals(state.prompts()) && iteration > 0 && iteration % settings.validateEvery() == 0;
        if (first || setByPerson) {
            startDevAccuracy = validation.validate(prompts);
            prompts = validation.reloadedOr(prompts);
        }
        StepOutcome outcome = null;
        StepTrace trace = null;
        Double devAccuracy = null;
        int done = iteration;
        if (validation.stopReason == null && iteration < settings.iterations()) {
            List<Example> batch = batches.next(settings.batchSize(), rng);
            outcome = network.step(prompts, batch, validation.memory, guided, logpPenalty(iteration), rng);
            trace = StepTrace.of(state.prompts(), prompts, outcome.examples());
            prompts = outcome.prompts();
            done = iteration + 1;
            if (done % settings.validateEvery() == 0 || done == settings.iterations()) {
                devAccuracy = validation.validate(prompts);
                prompts = validation.reloadedOr(prompts);
            }
        }
        String stopReason = validation.stopReason;
        if (stopReason == null && done >= settings.iterations()) stopReason = "completed " + settings.iterations() + " iterations";

        long tokens = state.tokensUsed() + (tokenCounter.getAsLong() - tokensBefore);
        listener.iterationDone(new IterationReport(iteration, devAccuracy, prompts,
                outcome == null ? null : outcome.elbo(), outcome == null ? null : outcome.elbo1(),
                outcome == null ? null : outcome.elbo2(), outcome == null ? null : outcome.batchAccuracy(),
                outcome == null ? List.of() : outcome.p1Candidates(), outcome == null ? List.of() : outcome.p2Candidates(),
                tokens, trace, startDevAccuracy));
        return new TrainingState(done, prompts, validation.memory, validation.bestDev, validation.bestPrompts,
                validation.patienceSpent, rng.state(), validation.devCache, tokens, stopReason != null, stopReason, guided);
    }

    /** The validations of one iteration: the best prompts so far, the memory, patience, and dev accuracies already known. */
    private final class Validation {
        List<RememberedPrompts> memory;
        double bestDev;
        NetworkPrompts bestPrompts;
        int patienceSpent;
        final Map<String, Double> devCache;
        String stopReason;
        private boolean reloadBest;

        Validation(TrainingState state) {
            memory = state.memory();
            bestDev = state.bestDevAccuracy();
            bestPrompts = state.bestPrompts();
            patienceSpent = state.patienceSpent();
            devCache = new HashMap<>(state.devAccuracyCache());
        }

        double validate(NetworkPrompts prompts) {
            Double devAccuracy = devCache.get(prompts.key());
            if (devAccuracy == null) {
                devAccuracy = evaluator.accuracy(prompts, dataset.dev(), "dev");
                devCache.put(prompts.key(), devAccuracy);
            }
            if (devAccuracy > bestDev) {
                bestDev = devAccuracy;
                bestPrompts = prompts;
                patienceSpent = 0;
                memory = remember(memory, prompts, devAccuracy);
            } else {
                patienceSpent++;
            }
            if (settings.patience() > 0 && patienceSpent >= settings.patience()) {
                if (settings.patienceRule() == PatienceRule.STOP) {
                    stopReason = "no dev improvement in " + patienceSpent + " validations";
                } else {
                    reloadBest = true;
                    patienceSpent = 0;
                }
            }
            return devAccuracy;
        }

        /** The best prompts when patience ran out under the paper's tolerance, else {@code prompts}. */
        NetworkPrompts reloadedOr(NetworkPrompts prompts) {
            if (!reloadBest) return prompts;
            reloadBest = false;
            return bestPrompts;
        }
    }

    /** Runs the remaining iterations from {@code state}, calling {@code checkpoint} after each. */
    public TrainingState train(TrainingState state, java.util.function.Consumer<TrainingState> checkpoint) {
        TrainingState current = state;
        while (!current.finished()) {
            current = runIteration(current);
            checkpoint.accept(current);
        }
        return current;
    }

    /** Tests the best prompts, and the few-shot baseline when asked for. */
    public TrainingReport finish(TrainingState state, long seed) {
        network.forgetScores();
        long tokensBefore = tokenCounter.getAsLong();
        double test = evaluator.accuracy(state.bestPrompts(), dataset.test(), "test");
        Double fewShot = settings.fewShots() > 0 ? fewShotAccuracy(seed) : null;
        long tokens = state.tokensUsed() + (tokenCounter.getAsLong() - tokensBefore);
        return new TrainingReport(state.bestPrompts(), state.bestDevAccuracy(), test, fewShot, state.iteration(),
                state.stopReason(), tokens);
    }

    /** The initial network with {@code fewShots} training examples shown before each test input. */
    double fewShotAccuracy(long seed) {
        Rng rng = Rng.seeded(seed ^ 0x5F3759DFL);
        List<Example> demos = batches.next(settings.fewShots(), rng);
        StringBuilder prefix = new StringBuilder();
        for (Example demo : demos) {
            prefix.append(network.outputLayer().context("", demo.input())).append(demo.target()).append("\n\n\n");
        }
        List<String> inputs = dataset.test().stream().map(e -> prefix + e.input()).toList();
        NetworkPrompts initial = start(seed).prompts();
        return evaluator.accuracy(initial, dataset.test(), inputs, "test (few-shot baseline)");
    }

    private double logpPenalty(int iteration) {
        if (!settings.decayLogpPenalty() || settings.iterations() == 0) return settings.logpPenalty();
        return settings.logpPenalty() * (1.0 - (double) iteration / settings.iterations());
    }

    private List<RememberedPrompts> remember(List<RememberedPrompts> memory, NetworkPrompts prompts, double devAccuracy) {
        if (settings.memorySize() == 0) return memory;
        List<RememberedPrompts> updated = new ArrayList<>(memory);
        updated.add(new RememberedPrompts(prompts.p1(), prompts.p2(), devAccuracy));
        updated.sort(Comparator.comparingDouble(RememberedPrompts::devAccuracy).reversed());
        return List.copyOf(updated.subList(0, Math.min(settings.memorySize(), updated.size())));
    }
}
