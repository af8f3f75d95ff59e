package io.dln.simulator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dln.tasks.BasketTotalsTask;
import io.dln.tasks.Insight;
import io.dln.tasks.InsightKind;
import io.dln.tasks.Judgement;
import io.dln.tasks.NavigateTask;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Posterior and backward calls, and prompts outside the task world. */
class DlnCallsTest extends WorldFixture {

    private final TaskFamily navigate = new NavigateTask();

    @Test
    void posteriorThatSeesTheAnswerMostlyReachesIt() {
        int right = 0, n = 0;
        for (TaskExample e : navigate.generate(31, 40)) {
            String prompt = Templates.posteriorWithAnswer("", e.input(), e.target());
            for (long seed = 0; seed < 5; seed++, n++) {
                if (navigate.judge(e.input(), sample(prompt, seed)) == Judgement.RIGHT) right++;
            }
        }
        assertTrue(right > 0.75 * n, right + "/" + n);
    }

    @Test
    void posteriorWithoutTheAnswerSamplesVariedAnalyses() {
        TaskExample e = navigate.generate(32, 1).getFirst();
        String h = greedy(Templates.hidden("", e.input()));
        String prompt = Templates.posterior("", e.input(), h);
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) seen.add(sample(prompt, seed));
        assertTrue(seen.size() >= 3, seen.toString());
        assertEquals(sample(prompt, 5), sample(prompt, 5));
    }

    private List<Templates.Shown> answerExamples(TaskFamily family, String instruction) {
        List<Templates.Shown> shown = new ArrayList<>();
        for (TaskExample e : family.generate(33, 6)) {
            String out = greedy(Templates.forward(instruction, e.input()));
            shown.add(new Templates.Shown(e.input(), out, e.target(), out.equals(e.target())));
        }
        return shown;
    }

    @Test
    void backwardProposalsSometimesAddAnInsightOfTheTrainedLayer() {
        TaskFamily family = new BasketTotalsTask();
        String current = family.initialInstruction();
        int added = 0, harmful = 0;
        Set<String> proposals = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            String prompt = Templates.backward(current, Templates.MESSAGES.get((int) (seed % 4)), answerExamples(family, current));
            String proposal = sample(prompt, seed);
            proposals.add(proposal);
            assertTrue(proposal.length() <= 400 && !proposal.contains("\n") && !proposal.contains("###"), proposal);
            for (Insight insight : family.insights()) {
                if (insight.presentIn(proposal) && insight.kind() == InsightKind.ANSWER) added++;
            }
            if (proposal.contains("Always answer")) harmful++;
        }
        assertTrue(added >= 8, "answer insights added: " + added);
        assertTrue(harmful >= 1 && harmful <= 12, "harmful proposals: " + harmful);
        assertTrue(proposals.size() >= 5, proposals.toString());
    }

    @Test
    void backwardForTheHiddenLayerAddsReasoningInsights() {
        List<Templates.Shown> shown = new ArrayList<>();
        for (TaskExample e : navigate.generate(34, 5)) {
            String h = greedy(Templates.hidden("", e.input()));
            String target = navigate.analyses(e.input(), true).getFirst();
            shown.add(new Templates.Shown(e.input(), h, target, h.equals(target)));
        }
        int reasoning = 0;
        for (long seed = 0; seed < 40; seed++) {
            String proposal = sample(Templates.backward("", Templates.MESSAGES.get(1), shown), seed);
            for (Insight insight : navigate.insights()) {
                if (insight.presentIn(proposal) && insight.kind() == InsightKind.REASONING) reasoning++;
            }
            assertFalse(proposal.contains("Always answer"), proposal);
        }
        assertTrue(reasoning >= 12, "reasoning insights added: " + reasoning);
    }

    @Test
    void proposalsStayShortAsInsightsAccumulate() {
        TaskFamily family = new BasketTotalsTask();
        String current = "";
        for (long step = 0; step < 30; step++) {
            String prompt = Templates.backward(current, Templates.MESSAGES.get((int) (step % 4)), answerExamples(family, family.initialInstruction()));
            current = sample(prompt, step);
            assertTrue(current.length() <= 400, current);
        }
        assertNotEquals("", current);
    }

    @Test
    void promptsOutsideTheWorldGetAFluentGenericAnswer() {
        String reply = greedy("Tell me about the weather on Mars.");
        assertTrue(reply.contains("simulator") || reply.length() > 20, reply);
        String other = greedy(Templates.forward("Answer.", "Which sentence has the correct adjective order?\nOptions:\n(A) big old red car\n(B) red old big car"));
        assertTrue(other.equals("(A)") || other.equals("(B)"), other);
        String hidden = greedy(Templates.hidden("", "What is the capital of France?"));
        assertFalse(hidden.isBlank());
        String broken = greedy("### Input\nIf you follow these instructions, do you return to the starting point? Maybe.\n\n### Answer\n");
        assertFalse(broken.isBlank());
    }
}
