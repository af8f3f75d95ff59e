package io.dln.simulator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dln.tasks.InsightKind;
import io.dln.tasks.Judgement;
import io.dln.tasks.SumParityTask;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scoring (echo and top-k) and sampling describe the same distribution. */
class ScoringConsistencyTest extends WorldFixture {

    private final TaskFamily parity = new SumParityTask();

    @Test
    void firstTokenTopKMatchesEchoOfEachVerbalizer() {
        for (TaskExample e : parity.generate(21, 20)) {
            String context = Templates.forward(parity.initialInstruction(), e.input());
            Generated g = model.generate(model.read(context), context, 0, null, 0, 1, STOP, 10);
            Map<String, Double> top = new HashMap<>();
            g.tokens().getFirst().top().forEach(a -> top.put(a.token(), a.logprob()));
            for (String verbalizer : List.of("even", "odd", "Even", "Odd")) {
                assertEquals(top.get(verbalizer), meanLogprob(context, verbalizer), 1e-9, verbalizer);
            }
            double classMass = List.of("even", "odd", "Even", "Odd").stream().mapToDouble(v -> Math.exp(top.get(v))).sum();
            assertEquals(0.97, classMass, 1e-9, "a little mass stays on filler tokens");
            assertEquals(g.text(), top.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
        }
    }

    @Test
    void samplingFrequenciesFollowTheScoredProbabilities() {
        TaskExample e = parity.generate(22, 1).getFirst();
        String context = Templates.forward(parity.initialInstruction(), e.input());
        Scene scene = model.read(context);
        Map<String, Integer> counts = new HashMap<>();
        int n = 4000;
        for (int i = 0; i < n; i++) {
            counts.merge(model.generate(scene, context, 1.0, 7L, i, 5, STOP, 0).text(), 1, Integer::sum);
        }
        for (String v : List.of("even", "odd")) {
            double p = Math.exp(meanLogprob(context, v));
            assertEquals(p, counts.getOrDefault(v, 0) / (double) n, 0.03, v);
        }
    }

    @Test
    void echoFollowsOpenAiConventions() {
        String context = Templates.forward("", parity.generate(23, 1).getFirst().input());
        List<ScoredToken> tokens = model.echo(model.read(context + "odd"), context + "odd", 3);
        assertNull(tokens.getFirst().logprob());
        assertNull(tokens.getFirst().top());
        assertEquals("odd", tokens.getLast().token());
        assertEquals(context.length(), tokens.getLast().offset());
        tokens.stream().skip(1).forEach(t -> assertTrue(t.logprob() <= 0 && t.top().size() >= 3));
    }

    @Test
    void anAnalysisTheInstructionMakesLikelyScoresHigher() {
        String plain = parity.initialInstruction();
        String reasoned = with(parity, InsightKind.REASONING);
        int better = 0;
        List<TaskExample> examples = parity.generate(24, 50);
        for (TaskExample e : examples) {
            // as DLN keeps an analysis the model wrote: opening and working, the blank line between them a line break
            String right = parity.written(e.input(), parity.analyses(e.input(), true).get(1)).replace("\n\n", "\n");
            String wrong = parity.written(e.input(), parity.analyses(e.input(), false).get(1)).replace("\n\n", "\n");
            double rightUnderReasoned = meanLogprob(Templates.hidden(reasoned, e.input()), right);
            double rightUnderPlain = meanLogprob(Templates.hidden(plain, e.input()), right);
            double wrongUnderReasoned = meanLogprob(Templates.hidden(reasoned, e.input()), wrong);
            if (rightUnderReasoned > rightUnderPlain) better++;
            assertTrue(rightUnderReasoned > wrongUnderReasoned || rightUnderPlain < -1, e.input());
        }
        assertTrue(better >= 40, better + "/50");
    }

    @Test
    void foreignWordingIsScoredByWhatItStates() {
        TaskExample e = parity.generate(25, 1).getFirst();
        String context = Templates.hidden(with(parity, InsightKind.REASONING), e.input());
        String own = "If we add everything up we obtain a sum is " + parity.intermediate(e.input()) + ".";
        String off = "If we add everything up we obtain a sum is " + (Integer.parseInt(parity.intermediate(e.input())) + 1) + ".";
        assertEquals(Judgement.RIGHT, parity.judge(e.input(), own));
        assertTrue(meanLogprob(context, own) > meanLogprob(context, off));
    }
}
