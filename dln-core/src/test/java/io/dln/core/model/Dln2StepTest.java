package io.dln.core.model;

import io.dln.core.data.Example;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.random.Rng;
import io.dln.core.score.VariationalScores;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.testing.ScriptedLanguageModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dln.core.testing.ScriptedLanguageModel.section;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A scripted world for one DLN-2 step: the forward analysis is vague, so answers are wrong; the
 * posterior proposes, per example, a vague, a decisive and an off-topic analysis; only the decisive one
 * makes the right answer likely. Output prompt "Weigh the analysis." and hidden prompt "Be decisive."
 * are the candidates the scores should favour.
 */
class Dln2StepTest {

    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");
    private static final List<Example> BATCH = List.of(new Example("case one [yes]", "Yes"), new Example("case two [no]", "No"));
    private static final List<String> POSTERIOR = List.of("vague notes", "decisive notes", "off notes");

    /** p(right class) by output prompt and by the kind of analysis in the input. */
    private static final Map<String, Map<String, Double>> ANSWER = Map.of(
            "Answer.", Map.of("decisive", 0.9, "other", 0.2),
            "Weigh the analysis.", Map.of("decisive", 0.95, "other", 0.4),
            "Guess.", Map.of("decisive", 0.5, "other", 0.1));

    /** log p(analysis | x, hidden prompt) by hidden prompt and kind of analysis. */
    private static final Map<String, Map<String, Double>> HIDDEN = Map.of(
            "Think.", Map.of("decisive", -1.2, "vague", -1.0, "off", -1.5),
            "Be decisive.", Map.of("decisive", -0.1, "vague", -2.0, "off", -2.0),
            "Ramble.", Map.of("decisive", -4.0, "vague", -0.5, "off", -0.5));

    private final Map<String, AtomicInteger> posteriorCalls = new ConcurrentHashMap<>();
    private final ScriptedLanguageModel model = new ScriptedLanguageModel()
            .generating(request -> {
                String prompt = request.prompt();
                if (ScriptedLanguageModel.isBackward(prompt)) {
                    boolean outputLayer = section(prompt, "### Current instruction").startsWith("Answer.");
                    boolean useful = section(prompt, "### Request").contains("clearer");
                    if (outputLayer) return useful ? "Weigh the analysis." : "Guess.";
                    return useful ? "Be decisive." : "Ramble.";
                }
                // posterior samples, whichever template draws them (the default mix includes the hidden layer's own), are
                // the calls at the backward temperature; the forward analysis is greedy
                if (ScriptedLanguageModel.isPosterior(prompt) || request.temperature() > 0) {
                    String input = section(prompt, "### Input");
                    return POSTERIOR.get(posteriorCalls.computeIfAbsent(input, k -> new AtomicInteger()).getAndIncrement() % 3);
                }
                return "vague notes";
            })
            .classifying(Dln2StepTest::answer)
            .scoring(Dln2StepTest::hiddenLogProbability);

    /** log q(h~) of each kind of sample under the posterior proposal. */
    private static final Map<String, Double> PROPOSAL = Map.of("vague", -0.3, "decisive", -0.7, "off", -0.2);
    /** p(right class) from the analysis alone (no input), for the MI term. */
    private static final Map<String, Double> ANALYSIS_ALONE = Map.of("vague", 0.5, "decisive", 0.8, "off", 0.6);

    private static List<Double> answer(ClassDistributionRequest request) {
        String analysis = section(request.context(), "### Analysis");
        if (analysis == null) {
            double right = ANALYSIS_ALONE.get(section(request.context(), "### Input").split(" ")[0]);
            return List.of(right, 1 - right); // both examples' answers are the first class here: the test weighs example one
        }
        double right = ANSWER.get(section(request.context(), "### Instruction"))
                .get(analysis.startsWith("decisive") ? "decisive" : "other");
        boolean yes = request.context().contains("[yes]");
        return yes ? List.of(right, 1 - right) : List.of(1 - right, right);
    }

    private static double hiddenLogProbability(LogProbabilityRequest request) {
        String kind = request.target().split(" ")[0];
        if (ScriptedLanguageModel.isPosterior(request.context())) return PROPOSAL.get(kind);
        return HIDDEN.get(section(request.context(), "### Instruction")).get(kind);
    }

    @Test
    void weightsTheDecisiveSampleHighestAndPicksTheCandidatesItFavours() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        assertEquals(0.0, outcome.batchAccuracy(), "a vague analysis leaves p(right) at 0.2, so both answers are wrong");
        assertEquals(List.of(POSTERIOR, POSTERIOR), outcome.hiddenSamples());
        // logits = log p(y | x, h~) + log p(h~ | x, p1): vague log 0.2 - 1, decisive log 0.9 - 1.2, off log 0.2 - 1.5
        double[] logits = {Math.log(0.2) - 1.0, Math.log(0.9) - 1.2, Math.log(0.2) - 1.5};
        double[] weights = VariationalScores.posteriorWeights(new double[][]{logits}, 1.0)[0];
        for (List<Double> row : outcome.posteriorWeights()) {
            for (int s = 0; s < 3; s++) assertEquals(weights[s], row.get(s), 1e-12);
            assertEquals(1, VariationalScores.argmax(row.stream().mapToDouble(Double::doubleValue).toArray()),
                    "the decisive sample carries the largest weight");
        }

        assertEquals("Weigh the analysis.", outcome.prompts().p2());
        double expectedElbo2 = weights[0] * Math.log(0.4) + weights[1] * Math.log(0.95) + weights[2] * Math.log(0.4);
        assertEquals(expectedElbo2, outcome.elbo2(), 1e-12);

        assertEquals("Be decisive.", outcome.prompts().p1());
        double expectedElbo1 = weights[0] * -2.0 + weights[1] * -0.1 + weights[2] * -2.0;
        assertEquals(expectedElbo1, outcome.elbo1(), 1e-12);
        assertEquals(List.of("Think.", "Be decisive."), outcome.p1Candidates().stream().map(Candidate::prompt).toList());
        assertEquals(List.of(false, true), outcome.p1Candidates().stream().map(Candidate::chosen).toList());
        assertEquals(List.of(CandidateOrigin.CURRENT, CandidateOrigin.PROPOSAL),
                outcome.p1Candidates().stream().map(Candidate::origin).toList());
    }

    @Test
    void recordsEachExampleWithItsForwardPassAndPosteriorSamples() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        assertEquals(2, outcome.examples().size());
        ExampleOutcome first = outcome.examples().getFirst();
        assertEquals("case one [yes]", first.input());
        assertEquals("Yes", first.target());
        assertEquals("vague notes", first.hidden());
        assertEquals("no", first.output(), "p(yes) is 0.2 after a vague analysis");
        assertEquals(false, first.correct());
        assertEquals(POSTERIOR, first.posterior().stream().map(HiddenSample::text).toList());
        // log p(y | x, h~, "Answer.") and log p(h~ | x, "Think.") of the vague, decisive and off-topic samples
        double[] likelihoods = {Math.log(0.2), Math.log(0.9), Math.log(0.2)};
        double[] priors = {-1.0, -1.2, -1.5};
        double[] weights = VariationalScores.posteriorWeights(new double[][]{{
                likelihoods[0] + priors[0], likelihoods[1] + priors[1], likelihoods[2] + priors[2]}}, 1.0)[0];
        for (int s = 0; s < 3; s++) {
            HiddenSample sample = first.posterior().get(s);
            assertEquals(likelihoods[s], sample.logLikelihood(), 1e-12);
            assertEquals(priors[s], sample.logPrior(), 1e-12);
            assertEquals(weights[s], sample.weight(), 1e-12);
        }
    }

    @Test
    void keepsTheDrawnSamplesAndTheirWeightsWhenOnlyTheBestIsUsed() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).useHArgmax(true).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        assertEquals(List.of(List.of("decisive notes"), List.of("decisive notes")), outcome.hiddenSamples());
        for (ExampleOutcome example : outcome.examples()) {
            assertEquals(POSTERIOR, example.posterior().stream().map(HiddenSample::text).toList());
            assertEquals(1.0, example.posterior().stream().mapToDouble(HiddenSample::weight).sum(), 1e-12);
        }
    }

    @Test
    void withoutThePriorTheWeightsFollowTheAnswerLikelihoodAlone() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).includePrior(false).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        // softmax(log 0.2, log 0.9, log 0.2) = (0.2, 0.9, 0.2) / 1.3
        List<Double> row = outcome.posteriorWeights().getFirst();
        assertEquals(0.2 / 1.3, row.get(0), 1e-12);
        assertEquals(0.9 / 1.3, row.get(1), 1e-12);
        assertEquals(0.2 / 1.3, row.get(2), 1e-12);
    }

    @Test
    void trustFactorPenalisesCandidatesThatMoveTheClassDistribution() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).trustFactor(100.0).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        assertEquals("Answer.", outcome.prompts().p2(), "a large trust factor keeps the output prompt where it is");
    }

    @Test
    void aStepAsksEachScoreOnceEvenWhenItsPhasesNeedItTwice() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).trustFactor(1.0).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        // the current prompts are weighed for the posterior and are candidates of their own update as well
        assertEquals(model.classDistributions.size(), new java.util.HashSet<>(model.classDistributions).size(),
                "no class distribution is asked twice");
        assertEquals(model.logProbabilities.size(), new java.util.HashSet<>(model.logProbabilities).size(),
                "no log-probability is asked twice");
        long weighed = model.logProbabilities.stream().filter(r -> r.context().contains("Think.")).count();
        assertEquals(2 * 3, weighed, "per example, each distinct hidden text (the forward one is also a sample) scored once under the current hidden prompt");
    }

    @Test
    void miRegularisationAndCorrectWeightingSubtractTheirTermsFromTheLogits() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2)
                .posteriorMiRegularization(true).posteriorCorrectWeighting(true)
                .posteriorTemplates(List.of("posterior-with-answer")).build(); // every log q(h~) from the PROPOSAL table
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        // example one (target yes): log p(y|x,h~) + log p(h~|x) - log p(y|h~) - log q(h~)
        double[] logits = {
                Math.log(0.2) - 1.0 - Math.log(0.5) + 0.3,
                Math.log(0.9) - 1.2 - Math.log(0.8) + 0.7,
                Math.log(0.2) - 1.5 - Math.log(0.6) + 0.2};
        double[] weights = VariationalScores.posteriorWeights(new double[][]{logits}, 1.0)[0];
        List<Double> row = outcome.posteriorWeights().getFirst();
        for (int s = 0; s < 3; s++) assertEquals(weights[s], row.get(s), 1e-12);
    }

    @Test
    void nceRanksHiddenPromptsByHowWellTheyPickTheWeightedSamples() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).useNce(true).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        double[] w = VariationalScores.posteriorWeights(new double[][]{{Math.log(0.2) - 1.0, Math.log(0.9) - 1.2, Math.log(0.2) - 1.5}}, 1.0)[0];
        // under "Be decisive." the samples score -2.0, -0.1, -2.0: shares softmax(-2, -0.1, -2)
        double z = Math.exp(-2.0) + Math.exp(-0.1) + Math.exp(-2.0);
        double expected = w[0] * Math.log(Math.exp(-2.0) / z + 1e-12) + w[1] * Math.log(Math.exp(-0.1) / z + 1e-12)
                + w[2] * Math.log(Math.exp(-2.0) / z + 1e-12);
        assertEquals("Be decisive.", outcome.prompts().p1());
        assertEquals(expected, outcome.elbo1(), 1e-12);
    }

    @Test
    void severalHiddenPromptStepsProposeFromTheLastWinner() {
        DlnSettings settings = DlnSettings.builder().layers(2).hSamples(3).pSamples(2).p1Steps(3).build();
        DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                YES_NO, new ExactMatchLoss());

        StepOutcome outcome = network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), 0, Rng.seeded(3));

        List<String> hiddenProposalSources = model.generations.stream().map(r -> r.prompt())
                .filter(ScriptedLanguageModel::isBackward)
                .map(p -> section(p, "### Current instruction").replace("[END]", "").strip())
                .filter(p -> !p.startsWith("Answer.")).toList();
        assertEquals(3, hiddenProposalSources.size(), "one proposal per step (p-samples 2)");
        assertEquals("Think.", hiddenProposalSources.getFirst());
        assertEquals("Be decisive.", outcome.prompts().p1());
    }
}
