package io.dln.trainer.runs;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.MeteredLanguageModel;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.Losses;
import io.dln.core.model.Backends;
import io.dln.core.model.CapabilityCheck;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.GuidanceAction;
import io.dln.core.model.SettingViolation;
import io.dln.core.model.StepCost;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.IterationReport;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingListener;
import io.dln.core.train.TrainingReport;
import io.dln.core.train.TrainingState;
import io.dln.store.ModelEntity;
import io.dln.store.RunEntity;
import io.dln.trainer.bus.KafkaLanguageModel;
import io.dln.trainer.bus.LlmCallFailedException;
import io.dln.trainer.bus.RequestBus;
import io.dln.trainer.bus.RunCalls;
import io.dln.trainer.config.TrainerConfig;
import io.dln.trainer.tracing.StepTraces;
import io.dln.trainer.tracing.TracedLanguageModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trains one claimed run to its end: resumes from its checkpoint, applies the guidance recorded for it, runs
 * iterations through Kafka-backed models, stores each iteration with its checkpoint, and registers the trained DLN.
 * An iteration that fails on LLM errors is run again from the same checkpoint before the run is given up; one stopped
 * by a cancel request is dropped, and the run ends CANCELLED at its last checkpoint.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    private static final int ITERATION_TRIES = 3;

    private final RunStore store;
    private final RequestBus bus;
    private final RunEvents events;
    private final TrainerConfig config;
    private final TemplateLibrary templates = TemplateLibrary.builtIn();
    private final RunMetrics metrics;
    private final StepTraces traces;

    public RunExecutor(RunStore store, RequestBus bus, RunEvents events, TrainerConfig config, MeterRegistry registry,
                       StepTraces traces) {
        this.store = store;
        this.traces = traces;
        this.bus = bus;
        this.events = events;
        this.config = config;
        this.metrics = new RunMetrics(registry);
    }

    /** Runs until the run ends or {@code lease} reports it lost. */
    public void execute(UUID runId, String owner, RunLease lease) {
        String id = runId.toString();
        ClaimedRun claimed = store.load(runId);
        RunEntity run = claimed.run();
        DlnSettings settings = run.settings;
        try {
            refuseWhatCannotRun(settings, claimed);
            RunCalls calls = new RunCalls(id);
            // tokens sent before this trainer took the run (a crash loses the count of an unfinished iteration's sends)
            long sentBefore = run.tokensSent == null ? 0 : run.tokensSent;
            lease.attach(calls);
            Map<String, MeteredLanguageModel> models = new LinkedHashMap<>();
            Backends backends = new Backends(model(run.forwardBackend, calls, models), model(run.backwardBackend, calls, models),
                    model(run.scoringBackend, calls, models));
            OutputClasses classes = claimed.dataset().outputClasses();
            List<String> problems = CapabilityCheck.problems(settings, classes != null, backends.forward().capabilities(),
                    backends.backward().capabilities(), backends.scoring().capabilities());
            if (!problems.isEmpty()) throw new RunRefusedException(String.join("; ", problems));

            DeepLanguageNetwork network = new DeepLanguageNetwork(settings, templates, backends, classes, Losses.byName(claimed.loss()));
            AtomicReference<IterationReport> lastReport = new AtomicReference<>();
            TrainingListener listener = new TrainingListener() {
                @Override
                public void iterationDone(IterationReport report) {
                    lastReport.set(report);
                }
            };
            Trainer trainer = new Trainer(network, claimed.dataset(),
                    () -> models.values().stream().mapToLong(m -> m.usage().total()).sum(), listener);
            TrainingState state = claimed.checkpoint() != null ? claimed.checkpoint() : trainer.start(run.seed);
            events.started(id, state.iteration(), settings.iterations());

            boolean cancelRequested = store.cancelRequested(runId);
            List<PendingGuidance> guidance = claimed.guidance();
            while (!state.finished()) {
                if (lease.lost()) return;
                if (cancelRequested || lease.cancelRequested()) {
                    cancel(runId, owner, state.iteration(), settings.iterations());
                    return;
                }
                if (run.tokenBudget != null && state.tokensUsed() >= run.tokenBudget) {
                    throw new RunRefusedException("the token budget of " + run.tokenBudget + " tokens is used up ("
                            + state.tokensUsed() + " after iteration " + state.iteration() + "); resume the run with a larger tokenBudget");
                }
                long started = System.nanoTime();
                TrainingState next;
                RunStore.Saved saved;
                long trained;
                try (StepTraces.Step step = traces.begin(id, state.iteration(), "dln.step")) {
                    next = iterate(trainer, state, guidance.stream().map(PendingGuidance::action).toList(), calls, lease);
                    if (next == null) {
                        if (lease.cancelRequested() && !lease.lost()) cancel(runId, owner, state.iteration(), settings.iterations());
                        return;
                    }
                    trained = System.nanoTime();
                    try (StepTraces.Phase checkpoint = step.phase("checkpoint")) {
                        saved = store.saveIteration(runId, owner, next, lastReport.get(),
                                guidance.stream().map(PendingGuidance::id).toList(), sentBefore + calls.tokensSent());
                    }
                }
                if (saved == RunStore.Saved.LEASE_LOST) return;
                long stored = System.nanoTime();
                metrics.iterationDone(id, next.iteration(), lastReport.get(), trained - started, stored - trained);
                events.iteration(id, settings.iterations(), lastReport.get(), (trained - started) / 1_000_000, (stored - trained) / 1_000_000);
                state = next;
                if (saved == RunStore.Saved.STORED_PAUSED) {
                    events.paused(id, state.iteration(), settings.iterations());
                    LOG.infof("run %s paused before iteration %d", id, state.iteration());
                    return;
                }
                cancelRequested = saved == RunStore.Saved.STORED_CANCEL_REQUESTED;
                guidance = saved == RunStore.Saved.STORED_GUIDANCE_PENDING ? store.pendingGuidance(runId) : List.of();
            }

            events.evaluating(id, state.iteration(), settings.iterations(), state.tokensUsed());
            calls.beginStep(state.iteration());
            TrainingReport report;
            try (StepTraces.Step evaluation = traces.begin(id, state.iteration(), "dln.evaluate")) {
                report = trainer.finish(state, run.seed);
            }
            ModelEntity model = trainedModel(run, claimed, report, settings);
            if (store.succeed(runId, owner, report.testAccuracy(), report.tokensUsed(), sentBefore + calls.tokensSent(), model)) {
                events.finished(id, state.iteration(), settings.iterations(), report.bestDevAccuracy(), report.testAccuracy(),
                        report.tokensUsed(), model.version);
                LOG.infof("run %s finished: dev %.3f, test %.3f, %d tokens", id, report.bestDevAccuracy(), report.testAccuracy(),
                        report.tokensUsed());
            }
        } catch (RuntimeException e) {
            if (lease.lost()) return;
            if (lease.cancelRequested()) {
                cancel(runId, owner, run.iteration, settings.iterations());
                return;
            }
            String message = rootMessage(e);
            LOG.errorf("run %s failed: %s", id, message);
            store.fail(runId, owner, message);
            events.failed(id, run.iteration, settings.iterations(), message);
        } finally {
            metrics.forget(id);
            bus.forgetRun(id);
        }
    }

    /**
     * Settings are checked again here, not only at the gateway: a row may come from an older version or another
     * writer, and a step too large for this trainer's heap must fail the run rather than the trainer.
     */
    private void refuseWhatCannotRun(DlnSettings settings, ClaimedRun claimed) {
        long memory = config.maxStepMemory().map(MemorySize::asLongValue).orElse(Runtime.getRuntime().maxMemory() / 2);
        StepCost.Ceilings ceilings = new StepCost.Ceilings(config.maxCallsPerStep(), memory,
                "dln.trainer.max-calls-per-step and dln.trainer.max-step-memory, by default half the trainer's heap");
        List<SettingViolation> refusals = StepCost.refusals(settings, StepCost.SplitSizes.of(claimed.dataset()), ceilings);
        if (!refusals.isEmpty()) {
            throw new RunRefusedException("the run's settings cannot run here: "
                    + String.join("; ", refusals.stream().map(SettingViolation::message).distinct().toList()));
        }
    }

    private TrainingState iterate(Trainer trainer, TrainingState state, List<GuidanceAction> guidance, RunCalls calls, RunLease lease) {
        for (int attempt = 1; ; attempt++) {
            calls.beginStep(state.iteration());
            try {
                return trainer.runIteration(state, guidance);
            } catch (CompletionException | LlmCallFailedException e) {
                if (lease.lost() || lease.cancelRequested()) return null;
                if (attempt >= ITERATION_TRIES) throw e;
                LOG.warnf("iteration %d of run %s failed (%s); running it again", state.iteration(), calls.runId(), rootMessage(e));
            }
        }
    }

    /** Ends the run as CANCELLED; a step it was in the middle of is not stored, its checkpoint stays the last one. */
    private void cancel(UUID runId, String owner, int iteration, int iterations) {
        store.cancel(runId, owner);
        events.cancelled(runId.toString(), iteration, iterations);
        LOG.infof("run %s cancelled before iteration %d", runId, iteration);
    }

    private LanguageModel model(String backend, RunCalls calls, Map<String, MeteredLanguageModel> models) {
        return models.computeIfAbsent(backend, name -> {
            TrainerConfig.BackendCapabilities declared = config.backends().get(name);
            if (declared == null) {
                throw new RunRefusedException("unknown backend '" + name + "'; configured backends: " + config.backends().keySet()
                        + " (add it under dln.trainer.backends and on the workers under dln.backends)");
            }
            Capabilities capabilities = new Capabilities(declared.generation(), declared.echoLogprobs(),
                    declared.topLogprobs(), declared.maxTopLogprobs(), declared.logitBias());
            return new MeteredLanguageModel(new TracedLanguageModel(
                    new KafkaLanguageModel(bus, calls, name, capabilities, config.requestTimeout(),
                            Math.clamp(config.maxCallsPerMessage(), 1, io.dln.messages.LlmRequest.MAX_BATCH)),
                    traces, calls.runId(), name));
        });
    }

    private ModelEntity trainedModel(RunEntity run, ClaimedRun claimed, TrainingReport report, DlnSettings settings) {
        ModelEntity model = new ModelEntity();
        model.id = UUID.randomUUID();
        model.tenant = run.tenant;
        model.name = run.modelName;
        model.layers = settings.layers();
        model.p1 = report.bestPrompts().p1();
        model.p2 = report.bestPrompts().p2();
        model.outputClasses = claimed.dataset().outputClasses() == null ? null : claimed.dataset().outputClasses().protos();
        model.loss = claimed.loss();
        model.settings = settings;
        Map<String, io.dln.core.template.Template> used = new LinkedHashMap<>();
        used.put("forward", templates.get(settings.forwardTemplate()));
        used.put("hidden", templates.get(settings.hiddenTemplate()));
        used.put("residual", templates.get(settings.residualTemplate()));
        model.templates = used;
        Map<String, Object> metrics = new HashMap<>();
        metrics.put("devAccuracy", report.bestDevAccuracy());
        metrics.put("testAccuracy", report.testAccuracy());
        if (report.fewShotTestAccuracy() != null) metrics.put("fewShotTestAccuracy", report.fewShotTestAccuracy());
        metrics.put("tokensUsed", report.tokensUsed());
        metrics.put("iterations", report.iterations());
        model.metrics = metrics;
        model.forwardBackend = run.forwardBackend;
        model.sourceRunId = run.id;
        model.createdAt = OffsetDateTime.now();
        return model;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause.getMessage() == null) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
