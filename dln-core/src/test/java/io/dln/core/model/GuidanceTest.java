package io.dln.core.model;

import io.dln.core.data.Example;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.random.Rng;
import io.dln.core.template.Template;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.testing.ScriptedLanguageModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dln.core.testing.ScriptedLanguageModel.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person's guidance does to a step: kept prompts are candidates, rejected ones never chosen, feedback reaches the backward LLM. */
class GuidanceTest {

    private static final OutputClasses YES_NO = InstructionWorld.YES_NO;
    private static final List<Example> BATCH = InstructionWorld.BATCH;

    private final ScriptedLanguageModel model = InstructionWorld.model();

    private StepOutcome step(Guidance guidance, int pSamples) {
        DeepLanguageNetwork network = InstructionWorld.network(DlnSettings.builder().pSamples(pSamples).build(), model);
        return network.step(new NetworkPrompts("", "Start here."), BATCH, List.of(), guidance, 0, Rng.seeded(1));
    }

    private static Guidance guided(GuidanceAction... actions) {
        Guidance guidance = Guidance.NONE;
        for (GuidanceAction action : actions) guidance = guidance.with(action);
        return guidance;
    }

    @Test
    void aPromptThePersonWroteIsACandidateOfLaterStepsAndASourceOfProposals() {
        StepOutcome outcome = step(guided(GuidanceAction.edit(2, "A person's instruction.")), 3);

        assertEquals(List.of("Start here.", "A person's instruction.", "Meh instruction.", "Better instruction."),
                outcome.p2Candidates().stream().map(Candidate::prompt).toList());
        assertEquals(List.of(CandidateOrigin.CURRENT, CandidateOrigin.EDITED, CandidateOrigin.PROPOSAL, CandidateOrigin.PROPOSAL),
                outcome.p2Candidates().stream().map(Candidate::origin).toList());
        assertEquals("A person's instruction.", section(model.generations.get(1).prompt(), "### Current instruction")
                .replace("[END]", "").strip(), "the second proposal starts from the kept prompt");
        assertEquals("Better instruction.", outcome.prompts().p2(), "a kept prompt competes like any other");

        model.generations.clear();
        StepOutcome kept = step(guided(GuidanceAction.edit(2, "A person's instruction.")), 2);
        assertEquals("A person's instruction.", kept.prompts().p2(), "p(right) 0.7 beats 0.3 and 0.6");
        assertTrue(kept.p2Candidates().get(1).chosen());
    }

    @Test
    void aRejectedPromptIsNeverChosenNorShown() {
        StepOutcome free = step(Guidance.NONE, 4);
        assertEquals("Better instruction.", free.prompts().p2(), "unguided, the best candidate wins");

        StepOutcome guided = step(guided(GuidanceAction.reject(2, "Better instruction.")), 4);

        assertEquals(List.of("Start here.", "Meh instruction.", "Bad instruction."),
                guided.p2Candidates().stream().map(Candidate::prompt).toList());
        assertEquals("Meh instruction.", guided.prompts().p2(), "the best candidate left");
    }

    @Test
    void aRejectedCurrentPromptStaysFirstButIsLeftForAnyOther() {
        StepOutcome guided = step(guided(GuidanceAction.reject(2, "Start here.")), 2);

        assertEquals(List.of("Start here.", "Meh instruction."), guided.p2Candidates().stream().map(Candidate::prompt).toList());
        assertEquals("Meh instruction.", guided.prompts().p2());

        StepOutcome alone = step(guided(GuidanceAction.reject(2, "Start here.")), 1);
        assertEquals("Start here.", alone.prompts().p2(), "with nothing else to choose, the layer keeps its prompt");
    }

    @Test
    void pinningARejectedPromptTakesTheRejectionBackAndTheLastFeedbackWins() {
        Guidance guidance = guided(GuidanceAction.reject(2, "Better instruction."), GuidanceAction.pin(2, "Better instruction."),
                GuidanceAction.feedback(2, "first advice"), GuidanceAction.feedback(2, "second advice"));

        assertEquals(List.of(), guidance.p2().rejected());
        assertEquals(List.of(new LayerGuidance.GuidedPrompt("Better instruction.", CandidateOrigin.PINNED)), guidance.p2().kept());
        assertEquals("second advice", guidance.p2().feedback());
        assertTrue(guided(GuidanceAction.feedback(2, "advice"), GuidanceAction.feedback(2, "")).isEmpty(), "empty feedback clears it");
        assertTrue(guidance.p1().isEmpty(), "the other layer is untouched");
    }

    @Test
    void feedbackReachesTheBackwardPromptsOfItsLayerOnly() {
        step(guided(GuidanceAction.feedback(2, "Mention that the answer is yes or no.")), 3);
        for (GenerationRequest request : model.generations) {
            assertEquals("Mention that the answer is yes or no.", section(request.prompt(), "### Advice from the person overseeing this training"));
        }
        model.generations.clear();

        step(guided(GuidanceAction.feedback(1, "Hidden layer advice.")), 3);
        for (GenerationRequest request : model.generations) assertFalse(request.prompt().contains("Advice"), request.prompt());
    }

    @Test
    void withoutFeedbackTheBackwardPromptIsWhatItWasBeforeTheTemplateHadASlotForIt() {
        Template backward = TemplateLibrary.builtIn().get("backward");
        int from = backward.text().indexOf("{% if feedback %}");
        int to = backward.text().indexOf("{% endif %}", from) + "{% endif %}\n".length();
        Template withoutSlot = new Template("backward", 0, "as before guided search", backward.text().substring(0, from)
                + backward.text().substring(to), backward.stop(), backward.messages());
        Map<String, Object> example = Map.of("input", "first [yes]", "target", "Yes", "output", "no", "loss", 1.0);
        Map<String, Object> variables = new java.util.HashMap<>(Map.of("prompt", "Start here.", "message", backward.message(0),
                "examples", List.of(example), "right", List.of(), "wrong", List.of(example)));

        String before = withoutSlot.render(variables);
        variables.put("feedback", "");
        assertEquals(before, backward.render(variables));
        assertFalse(before.contains("Advice"));
    }

    @Test
    void feedbackOnTheHiddenLayerReachesOnlyItsProposalsInADln2Step() {
        ScriptedLanguageModel dln2 = new ScriptedLanguageModel()
                .generating(request -> ScriptedLanguageModel.isBackward(request.prompt()) ? "Proposal." : "notes")
                .classifying(request -> List.of(0.4, 0.6));
        DeepLanguageNetwork network = new DeepLanguageNetwork(DlnSettings.builder().layers(2).pSamples(2).hSamples(2).build(),
                TemplateLibrary.builtIn(), Backends.single(dln2), YES_NO, new ExactMatchLoss());

        network.step(new NetworkPrompts("Think.", "Answer."), BATCH, List.of(), guided(GuidanceAction.feedback(1, "Count first.")), 0,
                Rng.seeded(2));

        List<String> backward = dln2.generations.stream().map(GenerationRequest::prompt).filter(ScriptedLanguageModel::isBackward).toList();
        assertEquals(2, backward.size(), "one proposal per layer");
        for (String prompt : backward) {
            boolean hidden = section(prompt, "### Current instruction").startsWith("Think.");
            assertEquals(hidden, prompt.contains("Count first."), prompt);
        }
    }
}
