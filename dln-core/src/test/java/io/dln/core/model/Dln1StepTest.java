package io.dln.core.model;

import io.dln.core.data.Example;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.random.Rng;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.testing.ScriptedLanguageModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dln.core.testing.ScriptedLanguageModel.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dln1StepTest {

    private static final OutputClasses YES_NO = InstructionWorld.YES_NO;
    private static final List<Example> BATCH = InstructionWorld.BATCH;

    private final ScriptedLanguageModel model = InstructionWorld.model();

    private DeepLanguageNetwork network(DlnSettings settings) {
        return InstructionWorld.network(settings, model);
    }

    @Test
    void picksTheCandidateUnderWhichTheTargetsAreMostLikely() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(4).build());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Start here."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals("Better instruction.", outcome.prompts().p2());
        assertEquals(0.0, outcome.batchAccuracy(), "the start prompt favours the wrong class everywhere");
        List<Candidate> candidates = outcome.p2Candidates();
        assertEquals(List.of("Start here.", "Meh instruction.", "Better instruction.", "Bad instruction."),
                candidates.stream().map(Candidate::prompt).toList());
        // every example gives the right class the same probability under a prompt, so the mean log-likelihood is its log
        assertEquals(Math.log(0.3), candidates.get(0).score(), 1e-12);
        assertEquals(Math.log(0.6), candidates.get(1).score(), 1e-12);
        assertEquals(Math.log(0.9), candidates.get(2).score(), 1e-12);
        assertEquals(Math.log(0.1), candidates.get(3).score(), 1e-12);
        assertEquals(Math.log(0.9), outcome.elbo2(), 1e-12);
        assertEquals(3, model.generations.size(), "p-samples 4 = the current prompt and 3 proposals");
    }

    @Test
    void rankedByAccuracyAnAllRightBatchKeepsTheCurrentPromptWithoutProposing() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(4).outputScoring(OutputScoring.ACCURACY).build());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Better instruction."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals("Better instruction.", outcome.prompts().p2());
        assertEquals(1.0, outcome.batchAccuracy());
        assertTrue(model.generations.isEmpty(), "every candidate would tie on accuracy, so none is asked for");
    }

    @Test
    void rankedByLogLikelihoodAnAllRightBatchStillProposesAndRanks() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(4).build());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Meh instruction."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals(1.0, outcome.batchAccuracy(), "0.6 on the right class: every answer is right");
        assertEquals(3, model.generations.size(), "proposals are asked for though nothing is wrong, as in the reference");
        assertEquals("Better instruction.", outcome.prompts().p2(), "the candidate with the larger margin wins");
        assertEquals(Math.log(0.9), outcome.elbo2(), 1e-12);
    }

    @Test
    void theSequentialSamplerTakesThreeNumberedPromptsFromEachCall() {
        model.generating(request -> "Shorter.\n2. Shorter still.\n3) Shortest.\n");
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(7).promptSampling(PromptSampling.SEQUENTIAL).build());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Start here."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals(2, model.generations.size(), "(7 - 1) / 3 calls");
        assertTrue(model.generations.getFirst().prompt().contains("### Improved instructions\n1."), model.generations.getFirst().prompt());
        assertEquals(List.of("Start here.", "Shorter.", "Shorter still.", "Shortest."),
                outcome.p2Candidates().stream().map(Candidate::prompt).toList());
    }

    @Test
    void freeTextTargetsAndOutputsReachTheBackwardPassNormalisedAsTheLossReadsThem() {
        ScriptedLanguageModel freeText = new ScriptedLanguageModel()
                .generating(request -> ScriptedLanguageModel.isBackward(request.prompt()) ? "New." : "Option (C), surely.");
        List<Example> batch = List.of(new Example("pick one", "(B) Blue"));
        DeepLanguageNetwork network = new DeepLanguageNetwork(DlnSettings.builder().pSamples(2).build(), TemplateLibrary.builtIn(),
                Backends.single(freeText), null, new ExactMatchLoss());

        network.step(new NetworkPrompts("", "Answer."), batch, List.of(), 0, Rng.seeded(1));

        String backward = freeText.generations.stream().map(r -> r.prompt()).filter(ScriptedLanguageModel::isBackward).findFirst().orElseThrow();
        assertTrue(backward.contains("Model output: c\nExpected output: b"), backward);
        assertTrue(freeText.logProbabilities.stream().allMatch(r -> r.target().equals("b")), "the normalised target is scored");

        ScriptedLanguageModel raw = new ScriptedLanguageModel()
                .generating(request -> ScriptedLanguageModel.isBackward(request.prompt()) ? "New." : "Option (C), surely.");
        new DeepLanguageNetwork(DlnSettings.builder().pSamples(2).normalizeFreeText(false).build(), TemplateLibrary.builtIn(),
                Backends.single(raw), null, new ExactMatchLoss()).step(new NetworkPrompts("", "Answer."), batch, List.of(), 0, Rng.seeded(1));
        assertTrue(raw.logProbabilities.stream().allMatch(r -> r.target().equals("(B) Blue")));
    }

    @Test
    void withoutTopKTheForwardPassIsBiasedToTheClassesWhereTheServerAllows() {
        ScriptedLanguageModel generationOnly = new ScriptedLanguageModel().generating(request -> "Yes")
                .withCapabilities(new io.dln.core.lm.Capabilities(true, false, false, 0, true));
        DeepLanguageNetwork network = new DeepLanguageNetwork(DlnSettings.builder().outputScoring(OutputScoring.ACCURACY).build(),
                TemplateLibrary.builtIn(), Backends.single(generationOnly), YES_NO, new ExactMatchLoss());

        network.predict(new NetworkPrompts("", "Answer."), List.of("first [yes]"));

        assertEquals(List.of("yes", " yes", "Yes", " Yes", "no", " no", "No", " No"), generationOnly.generations.getFirst().favoured());

        ScriptedLanguageModel noBias = new ScriptedLanguageModel().generating(request -> "Yes")
                .withCapabilities(io.dln.core.lm.Capabilities.GENERATION_ONLY);
        new DeepLanguageNetwork(DlnSettings.builder().outputScoring(OutputScoring.ACCURACY).build(), TemplateLibrary.builtIn(),
                Backends.single(noBias), YES_NO, new ExactMatchLoss()).predict(new NetworkPrompts("", "Answer."), List.of("first [yes]"));
        assertTrue(noBias.generations.getFirst().favoured().isEmpty(), "a server without logit_bias generates freely");
    }

    @Test
    void scoringRequestsCarryTheBurnIn() {
        ScriptedLanguageModel freeText = new ScriptedLanguageModel().generating(request -> "x");
        new DeepLanguageNetwork(DlnSettings.builder().pSamples(2).echoBurnIn(0.2).build(), TemplateLibrary.builtIn(),
                Backends.single(freeText), null, new ExactMatchLoss())
                .step(new NetworkPrompts("", "Answer."), List.of(new Example("q", "y")), List.of(), 0, Rng.seeded(1));
        assertTrue(!freeText.logProbabilities.isEmpty() && freeText.logProbabilities.stream().allMatch(r -> r.burnIn() == 0.2));
    }

    @Test
    void heldOutRankingShowsHalfTheBatchToEachProposal() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(3).heldOutRanking(true).build());

        network.step(new NetworkPrompts("", "Start here."), BATCH, List.of(), 0, Rng.seeded(1));

        for (var request : model.generations) {
            assertEquals(2, request.prompt().split("Input: ", -1).length - 1, request.prompt());
        }
    }

    @Test
    void rememberedPromptsAreCandidatesAgain() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(2).memorySize(1).build());
        List<RememberedPrompts> memory = List.of(new RememberedPrompts("", "Bad instruction.", 0.6));

        StepOutcome outcome = network.step(new NetworkPrompts("", "Start here."), BATCH, memory, 0, Rng.seeded(1));

        assertEquals(List.of("Start here.", "Bad instruction.", "Meh instruction."),
                outcome.p2Candidates().stream().map(Candidate::prompt).toList(),
                "the current prompt, the remembered one, then the single proposal");
        assertEquals("Meh instruction.", outcome.prompts().p2());
        assertEquals(List.of(CandidateOrigin.CURRENT, CandidateOrigin.MEMORY, CandidateOrigin.PROPOSAL),
                outcome.p2Candidates().stream().map(Candidate::origin).toList());
        assertEquals(List.of(false, false, true), outcome.p2Candidates().stream().map(Candidate::chosen).toList());
    }

    @Test
    void recordsEachExampleOfTheBatchAsTheForwardPassSawIt() {
        DeepLanguageNetwork network = network(DlnSettings.builder().pSamples(2).build());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Meh instruction."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals(1.0, outcome.batchAccuracy(), "a step that stops after its forward pass records its batch too");
        assertEquals(BATCH.size(), outcome.examples().size());
        for (int i = 0; i < BATCH.size(); i++) {
            ExampleOutcome example = outcome.examples().get(i);
            assertEquals(BATCH.get(i).input(), example.input());
            assertEquals(BATCH.get(i).target(), example.target());
            assertEquals(null, example.hidden(), "DLN-1 has no hidden layer");
            assertTrue(example.posterior().isEmpty());
            // p(right) = 0.6 under this instruction, so every answer is the right class
            assertTrue(example.correct(), example.toString());
            assertEquals(example.target().toLowerCase(java.util.Locale.ROOT), example.output().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void accuracyScoringRanksCandidatesByGreedyAnswers() {
        ScriptedLanguageModel noLogprobs = new ScriptedLanguageModel()
                .withCapabilities(io.dln.core.lm.Capabilities.GENERATION_ONLY)
                .generating(request -> {
                    String prompt = request.prompt();
                    if (ScriptedLanguageModel.isBackward(prompt)) return "Better instruction.";
                    boolean yes = section(prompt, "### Input").contains("[yes]");
                    boolean good = "Better instruction.".equals(section(prompt, "### Instruction"));
                    if (!good) return "Yes";
                    return yes ? "Yes" : "No";
                });
        DeepLanguageNetwork network = new DeepLanguageNetwork(
                DlnSettings.builder().pSamples(2).outputScoring(OutputScoring.ACCURACY).build(),
                TemplateLibrary.builtIn(), Backends.single(noLogprobs), YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("", "Start here."), BATCH, List.of(), 0, Rng.seeded(1));

        assertEquals("Better instruction.", outcome.prompts().p2());
        assertEquals(0.5, outcome.batchAccuracy());
        assertEquals(List.of(0.5, 1.0), outcome.p2Candidates().stream().map(Candidate::score).toList());
    }
}
