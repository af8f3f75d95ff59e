package io.dln.core.train;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.MeteredLanguageModel;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.model.Backends;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.GuidanceAction;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.model.OutputScoring;
import io.dln.core.model.PatienceRule;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.testing.ScriptedLanguageModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dln.core.testing.ScriptedLanguageModel.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");

    /**
     * A deterministic toy world: every '!' in the output instruction raises the chance of the right
     * class; proposals append a tip that carries a '!' or not depending on the request's seed; each
     * example has its own difficulty, so accuracy moves in steps.
     */
    private static ScriptedLanguageModel toyWorld() {
        return new ScriptedLanguageModel()
                .generating(request -> {
                    String prompt = request.prompt();
                    if (ScriptedLanguageModel.isBackward(prompt)) {
                        String current = section(prompt, "### Current instruction").replace("[END]", "").strip();
                        return current + (request.seed() % 3 == 0 ? " Tip!" : " Tip.");
                    }
                    if (ScriptedLanguageModel.isPosterior(prompt)) return "posterior " + (request.seed() % 5);
                    return "analysis";
                })
                .classifying(TrainerTest::answer)
                .scoring(request -> -((request.context().length() + request.target().length()) % 7) / 7.0);
    }

    private static List<Double> answer(ClassDistributionRequest request) {
        String instruction = section(request.context(), "### Instruction");
        long bangs = instruction == null ? 0 : instruction.chars().filter(c -> c == '!').count();
        String input = section(request.context(), "### Input");
        double difficulty = Math.floorMod(input.hashCode(), 10) / 10.0;
        double right = Math.min(0.97, 0.15 + 0.2 * bangs + 0.3 * difficulty);
        boolean yes = input.contains("[yes]");
        return yes ? List.of(right, 1 - right) : List.of(1 - right, right);
    }

    private static Dataset dataset() {
        List<Example> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean yes = i % 2 == 0;
            all.add(new Example("item " + i + (yes ? " [yes]" : " [no]"), yes ? "Yes" : "No"));
        }
        return new Dataset("toy", "Answer.", YES_NO, all.subList(0, 20), all.subList(20, 40), all.subList(40, 60));
    }

    private static Trainer trainer(DlnSettings settings, ScriptedLanguageModel model) {
        return trainer(settings, model, new ArrayList<>());
    }

    /** A trainer that adds the report of each iteration to {@code reports}. */
    private static Trainer trainer(DlnSettings settings, ScriptedLanguageModel model, List<IterationReport> reports) {
        MeteredLanguageModel metered = new MeteredLanguageModel(model);
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(metered),
                YES_NO, new ExactMatchLoss());
        return new Trainer(network, dataset(), () -> metered.usage().total(), new TrainingListener() {
            @Override
            public void iterationDone(IterationReport report) {
                reports.add(report);
            }
        });
    }

    private static List<String> runAll(Trainer trainer, TrainingState from) {
        List<String> checkpoints = new ArrayList<>();
        trainer.train(from, state -> checkpoints.add(Checkpoints.toJson(state)));
        return checkpoints;
    }

    @Test
    void resumingFromAnyCheckpointRepeatsTheRemainingStepsExactly() {
        for (DlnSettings settings : List.of(
                DlnSettings.builder().iterations(6).batchSize(6).pSamples(3).validateEvery(1).memorySize(2).build(),
                DlnSettings.builder().layers(2).iterations(4).batchSize(4).pSamples(3).hSamples(2).validateEvery(2).build())) {
            Trainer uninterrupted = trainer(settings, toyWorld());
            List<String> reference = runAll(uninterrupted, uninterrupted.start(42));
            assertTrue(reference.size() > 3);
            assertNotEquals(Checkpoints.fromJson(reference.getFirst()).prompts(),
                    Checkpoints.fromJson(reference.getLast()).prompts(), "the prompts should have moved");

            for (int k = 0; k < reference.size() - 1; k++) {
                Trainer resumed = trainer(settings, toyWorld());
                List<String> rest = runAll(resumed, Checkpoints.fromJson(reference.get(k)));
                assertEquals(reference.subList(k + 1, reference.size()), rest, "resumed after checkpoint " + k);
            }
        }
    }

    @Test
    void everySteppingIterationReportsWhatItsStepSaw() {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(3).batchSize(4).pSamples(3).hSamples(2).validateEvery(1).build();
        List<IterationReport> reports = new ArrayList<>();
        Trainer trainer = trainer(settings, toyWorld(), reports);

        trainer.train(trainer.start(5), state -> { });

        assertEquals(3, reports.size(), "3 iterations, each a step");
        NetworkPrompts previous = new NetworkPrompts("", "Answer.");
        for (IterationReport report : reports) {
            StepTrace trace = report.trace();
            assertEquals(previous, trace.previousIterationPrompts());
            assertEquals(previous, trace.promptsBefore(), "no guidance, so the step starts where the last one ended");
            assertEquals(4, trace.examples().size());
            for (StepTrace.TracedExample example : trace.examples()) {
                assertEquals("analysis", example.hidden());
                assertEquals(2, example.posteriorSamples().size());
            }
            assertEquals(1, report.p2Candidates().stream().filter(io.dln.core.model.Candidate::chosen).count(),
                    "one chosen candidate: " + report.p2Candidates());
            previous = report.prompts();
        }
    }

    /** Runs to the end, applying {@code guidance} at the start of the iterations it names; the checkpoints as JSON. */
    private static List<String> runGuided(Trainer trainer, TrainingState from, Map<Integer, List<GuidanceAction>> guidance) {
        List<String> checkpoints = new ArrayList<>();
        TrainingState state = from;
        while (!state.finished()) {
            state = trainer.runIteration(state, guidance.getOrDefault(state.iteration(), List.of()));
            checkpoints.add(Checkpoints.toJson(state));
        }
        return checkpoints;
    }

    @Test
    void guidanceIsAppliedAtTheStartOfItsIterationAndStaysInTheState() {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(4).batchSize(4).pSamples(3).hSamples(2).validateEvery(1).build();
        List<IterationReport> reports = new ArrayList<>();
        Trainer trainer = trainer(settings, toyWorld(), reports);
        TrainingState first = trainer.runIteration(trainer.start(9));

        TrainingState second = trainer.runIteration(first, List.of(GuidanceAction.pin(2, "Pinned."), GuidanceAction.reject(1, "Rejected."),
                GuidanceAction.feedback(1, "Count first.")));

        StepTrace trace = reports.get(1).trace();
        assertEquals(first.prompts(), trace.previousIterationPrompts());
        assertEquals(new NetworkPrompts(first.prompts().p1(), "Pinned."), trace.promptsBefore(), "the pinned prompt is where the step starts");
        assertEquals("Pinned.", second.guidance().p2().kept().getFirst().prompt());
        assertEquals(io.dln.core.model.CandidateOrigin.PINNED, reports.get(1).p2Candidates().getFirst().origin(),
                "the step's first candidate is its current prompt, the pinned one: " + reports.get(1).p2Candidates());
        assertEquals(List.of("Rejected."), second.guidance().p1().rejected());
        assertEquals("Count first.", second.guidance().p1().feedback());
        TrainingState third = trainer.runIteration(second);
        assertEquals(second.guidance(), third.guidance(), "guidance holds in later iterations");
        assertEquals(second.guidance(), Checkpoints.fromJson(Checkpoints.toJson(second)).guidance(), "guidance is checkpointed");
    }

    @Test
    void theSameGuidanceAtTheSameIterationsGivesTheSameRunAndResumesExactly() {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(5).batchSize(4).pSamples(3).hSamples(2).validateEvery(1).build();
        Map<Integer, List<GuidanceAction>> guidance = Map.of(
                1, List.of(GuidanceAction.edit(2, "Answer! Be sure!"), GuidanceAction.feedback(2, "Add a tip.")),
                3, List.of(GuidanceAction.reject(1, "analysis")));
        Trainer trainer = trainer(settings, toyWorld());
        List<String> reference = runGuided(trainer, trainer.start(4), guidance);

        assertEquals(reference, runGuided(trainer(settings, toyWorld()), trainer.start(4), guidance), "deterministic");
        assertNotEquals(runAll(trainer(settings, toyWorld()), trainer.start(4)), reference, "guidance changed the run");
        for (int k = 0; k < reference.size() - 1; k++) {
            List<String> rest = runGuided(trainer(settings, toyWorld()), Checkpoints.fromJson(reference.get(k)), guidance);
            assertEquals(reference.subList(k + 1, reference.size()), rest, "resumed after checkpoint " + k);
        }
    }

    @Test
    void aCheckpointWrittenBeforeGuidanceExistedResumesAndUnguidedCheckpointsLookTheSame() {
        String old = """
                {"iteration":1,"prompts":{"p1":"","p2":"Answer."},"memory":[],"bestDevAccuracy":0.5,
                 "bestPrompts":{"p1":"","p2":"Answer."},"patienceSpent":0,"rngState":12345,"devAccuracyCache":{},
                 "tokensUsed":100,"finished":false,"stopReason":null}""";
        TrainingState state = Checkpoints.fromJson(old);
        assertEquals(null, state.guidance());
        Trainer trainer = trainer(DlnSettings.builder().iterations(3).batchSize(4).pSamples(2).validateEvery(1).build(), toyWorld());

        TrainingState next = trainer.runIteration(state);

        assertEquals(2, next.iteration());
        assertFalse(Checkpoints.toJson(next).contains("guidance"), Checkpoints.toJson(next));
    }

    @Test
    void guidanceForTheHiddenLayerOfADln1IsRefused() {
        Trainer trainer = trainer(DlnSettings.builder().iterations(3).batchSize(4).build(), toyWorld());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> trainer.runIteration(trainer.start(1), List.of(GuidanceAction.pin(1, "x"))));
        assertTrue(e.getMessage().contains("layer 2"), e.getMessage());
    }

    @Test
    void aPromptPairAlreadyEvaluatedOnDevIsNotEvaluatedAgain() {
        ScriptedLanguageModel model = new ScriptedLanguageModel().classifying(request -> {
            boolean yes = request.context().contains("[yes]");
            return yes ? List.of(0.9, 0.1) : List.of(0.1, 0.9);
        });
        DlnSettings settings = DlnSettings.builder().iterations(4).batchSize(4).validateEvery(1)
                .outputScoring(OutputScoring.ACCURACY).build();
        Trainer trainer = trainer(settings, model);

        TrainingState end = trainer.train(trainer.start(1), state -> { });

        long devCalls = model.classDistributions.stream().filter(r -> r.context().contains("item 2") || r.context().contains("item 3"))
                .filter(r -> isDev(r.context())).count();
        assertEquals(20, devCalls, "20 dev examples scored once, though validation ran 5 times with the same prompts");
        assertEquals(1.0, end.bestDevAccuracy());
        assertTrue(model.generations.isEmpty(), "every batch was already right, so nothing was proposed");
    }

    @Test
    void patienceStopsARunThatStopsImproving() {
        ScriptedLanguageModel model = new ScriptedLanguageModel()
                .generating(request -> "Another instruction " + request.seed())
                .classifying(request -> List.of(0.5, 0.5));
        DlnSettings settings = DlnSettings.builder().iterations(20).batchSize(4).validateEvery(1).patience(2)
                .patienceRule(PatienceRule.STOP).build();
        Trainer trainer = trainer(settings, model);

        TrainingState end = trainer.train(trainer.start(1), state -> { });

        assertTrue(end.finished());
        assertEquals(2, end.iteration(), "validations of the initial prompts and after iterations 1 and 2; the last two did not improve");
        assertEquals("no dev improvement in 2 validations", end.stopReason());
        assertEquals(new NetworkPrompts("", "Answer."), end.bestPrompts());
    }

    @Test
    void thePapersToleranceReloadsTheBestPromptsAndTrainsOn() {
        // "Another ..." instructions fit the training examples better and the dev examples worse than "Answer."
        ScriptedLanguageModel model = new ScriptedLanguageModel()
                .generating(request -> "Another instruction " + request.seed())
                .classifying(request -> {
                    boolean another = section(request.context(), "### Instruction").startsWith("Another");
                    boolean yes = request.context().contains("[yes]");
                    double right = !another ? 0.5 : isDev(request.context()) ? 0.4 : 0.6;
                    return yes ? List.of(right, 1 - right) : List.of(1 - right, right);
                });
        DlnSettings settings = DlnSettings.builder().iterations(6).batchSize(4).validateEvery(1).patience(2).build();
        Trainer trainer = trainer(settings, model);

        TrainingState end = trainer.train(trainer.start(1), state -> { });

        assertEquals(PatienceRule.RELOAD_BEST, settings.patienceRule(), "the paper's rule is the default");
        assertEquals("completed 6 iterations", end.stopReason(), "patience does not end the run");
        assertEquals(new NetworkPrompts("", "Answer."), end.bestPrompts());
        // "Answer." is best at iteration 0; validations 1 and 2 find worse prompts, so iteration 2 reloads "Answer."
        // and steps from it again, and so does iteration 4: three steps start from it, four proposals each
        long fromBest = model.generations.stream().filter(r -> ScriptedLanguageModel.isBackward(r.prompt()))
                .filter(r -> section(r.prompt(), "### Current instruction").startsWith("Answer.")).count();
        assertEquals(12, fromBest);
    }

    /** Settings and a checkpoint as the version before issue 14 stored them (without its new fields) still resume. */
    @Test
    void aRunStoredByThePreviousVersionResumes() throws Exception {
        String storedSettings = """
                {"layers":2,"iterations":4,"batchSize":4,"validateEvery":2,"validateFirst":true,"patience":0,"hSamples":2,
                 "pSamples":3,"posteriorTemperature":1.0,"includePrior":true,"trustFactor":0.0,"logpPenalty":0.0,
                 "decayLogpPenalty":true,"memorySize":0,"heldOutRanking":false,"stripOptionsForHidden":false,"trainP1":true,
                 "trainP2":true,"forwardUseClasses":true,"outputScoring":"LOGPROBS","useHArgmax":false,"rewriteLossOnly":false,
                 "balanceBatch":true,"forwardTemperature":0.0,"backwardTemperature":0.7,"backwardMaxTokens":512,
                 "p1MaxTokens":256,"p2MaxTokens":20,"fewShots":0,"initP1":"","initP2":null,"loss":"exact_match",
                 "forwardTemplate":"forward","hiddenTemplate":"hidden-forward","residualTemplate":"residual",
                 "backwardTemplate":"backward","posteriorTemplates":["posterior-with-answer"]}""";
        String storedCheckpoint = """
                {"iteration":1,"prompts":{"p1":"","p2":"Answer. Tip!"},"memory":[],"bestDevAccuracy":0.45,
                 "bestPrompts":{"p1":"","p2":"Answer."},"patienceSpent":0,"rngState":1307076174,
                 "devAccuracyCache":{"\\u001FAnswer.":0.45},"tokensUsed":120,"finished":false,"stopReason":null}""";
        DlnSettings settings = new com.fasterxml.jackson.databind.ObjectMapper().readValue(storedSettings, DlnSettings.class);
        assertEquals(List.of(), settings.violations());
        assertEquals(List.of("posterior-with-answer"), settings.posteriorTemplates(), "a stored choice stays as stored");
        Trainer trainer = trainer(settings, toyWorld());

        TrainingState end = trainer.train(Checkpoints.fromJson(storedCheckpoint), state -> { });

        assertTrue(end.finished());
        assertEquals("completed 4 iterations", end.stopReason());
        assertTrue(end.tokensUsed() > 120);
    }

    @Test
    void aRunOfNIterationsTakesNStepsAndCountsN() {
        DlnSettings settings = DlnSettings.builder().iterations(5).batchSize(6).pSamples(3).validateEvery(2).build();
        List<IterationReport> reports = new ArrayList<>();
        MeteredLanguageModel metered = new MeteredLanguageModel(toyWorld());
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(metered),
                YES_NO, new ExactMatchLoss());
        Trainer trainer = new Trainer(network, dataset(), () -> metered.usage().total(), new TrainingListener() {
            @Override
            public void iterationDone(IterationReport report) {
                reports.add(report);
            }
        });

        List<Integer> counted = new ArrayList<>();
        TrainingState end = trainer.train(trainer.start(3), state -> counted.add(state.iteration()));

        assertEquals(List.of(1, 2, 3, 4, 5), counted, "the state counts the iterations done, the last one included once");
        assertEquals(5, trainer.finish(end, 3).iterations());
        assertEquals(List.of(0, 1, 2, 3, 4), reports.stream().map(IterationReport::iteration).toList());
        assertTrue(reports.stream().allMatch(r -> r.batchAccuracy() != null), "every iteration took a step");
        assertTrue(reports.getFirst().startDevAccuracy() != null, "the initial prompts were validated first");
        assertTrue(reports.stream().skip(1).allMatch(r -> r.startDevAccuracy() == null));
        List<Boolean> validated = reports.stream().map(r -> r.devAccuracy() != null).toList();
        assertEquals(List.of(false, true, false, true, true), validated, "after iterations 2 and 4, and after the last");
        assertEquals(reports.getLast().prompts(), end.prompts());
    }

    @Test
    void theReportTestsTheBestPromptsAndCountsTokens() {
        DlnSettings settings = DlnSettings.builder().iterations(4).batchSize(6).pSamples(3).validateEvery(1).fewShots(2).build();
        Trainer trainer = trainer(settings, toyWorld());

        TrainingState end = trainer.train(trainer.start(7), state -> { });
        TrainingReport report = trainer.finish(end, 7);

        assertEquals(end.bestPrompts(), report.bestPrompts());
        assertTrue(report.testAccuracy() >= 0 && report.testAccuracy() <= 1);
        assertTrue(report.fewShotTestAccuracy() != null);
        assertTrue(report.tokensUsed() > end.tokensUsed(), "testing costs tokens too");
        assertEquals("completed 4 iterations", report.stopReason());
    }

    private static boolean isDev(String context) {
        String input = section(context, "### Input");
        int number = Integer.parseInt(input.split(" ")[1]);
        return number >= 20 && number < 40;
    }
}
