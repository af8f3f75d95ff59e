package io.dln.simulator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dln.tasks.InsightKind;
import io.dln.tasks.Judgement;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerBehaviourTest extends WorldFixture {

    static Stream<TaskFamily> families() {
        return TaskWorld.standard().families().stream();
    }

    private double accuracy(TaskFamily family, String instruction, List<TaskExample> examples) {
        long right = examples.stream()
                .filter(e -> family.classIndex(greedy(Templates.forward(instruction, e.input())))
                        == family.classIndex(e.target()))
                .count();
        return right / (double) examples.size();
    }

    @ParameterizedTest
    @MethodSource("families")
    void moreInsightsGiveHigherForwardAccuracy(TaskFamily family) {
        List<TaskExample> examples = family.generate(11, 200);
        double plain = accuracy(family, family.initialInstruction(), examples);
        double answer = accuracy(family, with(family, InsightKind.ANSWER), examples);
        double all = accuracy(family, with(family, InsightKind.ANSWER, InsightKind.REASONING), examples);
        System.out.printf("%s one-layer accuracy: plain %.2f, answer insights %.2f, all insights %.2f%n",
                family.name(), plain, answer, all);
        assertTrue(answer > plain, "answer insights should help");
        assertTrue(all > plain + 0.12, "all insights should help clearly: " + plain + " -> " + all);
        assertTrue(all < 0.85, "one layer stays below what a good analysis allows: " + all);
    }

    @ParameterizedTest
    @MethodSource("families")
    void theRightIntermediateResultMakesTheAnswerLikely(TaskFamily family) {
        List<TaskExample> examples = family.generate(12, 200);
        String instruction = family.initialInstruction();
        int rightGivenRight = 0, rightGivenWrong = 0;
        for (TaskExample e : examples) {
            String good = family.analyses(e.input(), true).getFirst();
            String bad = family.analyses(e.input(), false).getFirst();
            if (greedy(Templates.forward(instruction, Templates.residual(e.input(), good))).equals(e.target())) rightGivenRight++;
            if (greedy(Templates.forward(instruction, Templates.residual(e.input(), bad))).equals(e.target())) rightGivenWrong++;
        }
        System.out.printf("%s answer accuracy given a right analysis %.2f, given a wrong one %.2f%n",
                family.name(), rightGivenRight / 200.0, rightGivenWrong / 200.0);
        assertTrue(rightGivenRight >= 170, "right analysis: " + rightGivenRight + "/200");
        assertTrue(rightGivenWrong <= 60, "wrong analysis: " + rightGivenWrong + "/200");
    }

    @ParameterizedTest
    @MethodSource("families")
    void reasoningInsightsMakeTheHiddenLayerStateTheIntermediateResult(TaskFamily family) {
        List<TaskExample> examples = family.generate(13, 200);
        int plain = 0, reasoned = 0, twoLayerRight = 0;
        String reasoning = with(family, InsightKind.REASONING);
        String answering = with(family, InsightKind.ANSWER);
        for (TaskExample e : examples) {
            if (family.judge(e.input(), greedy(Templates.hidden("", e.input()))) == Judgement.RIGHT) plain++;
            String h = greedy(Templates.hidden(reasoning, e.input()));
            if (family.judge(e.input(), h) == Judgement.RIGHT) reasoned++;
            if (greedy(Templates.forward(answering, Templates.residual(e.input(), h))).equals(e.target())) twoLayerRight++;
        }
        System.out.printf("%s analyses right: plain %d/200, with reasoning insights %d/200; two-layer accuracy %.2f%n",
                family.name(), plain, reasoned, twoLayerRight / 200.0);
        assertTrue(reasoned > plain + 40, plain + " -> " + reasoned);
        assertTrue(twoLayerRight / 200.0 > 0.82, "a trained two-layer network beats one layer: " + twoLayerRight);
    }

    @ParameterizedTest
    @MethodSource("families")
    void alwaysAnsweringOneClassCollapsesTheAnswers(TaskFamily family) {
        String forced = family.prototypes().getLast();
        String instruction = family.initialInstruction() + " Always answer " + forced + ".";
        long count = family.generate(14, 100).stream()
                .filter(e -> greedy(Templates.forward(instruction, e.input())).equals(forced)).count();
        assertTrue(count >= 90, count + "/100 answered " + forced);
    }

    @ParameterizedTest
    @MethodSource("families")
    void greedyAnswersAreClassPrototypesAndDeterministic(TaskFamily family) {
        for (TaskExample e : family.generate(15, 30)) {
            String prompt = Templates.forward(family.initialInstruction(), e.input());
            String answer = greedy(prompt);
            assertTrue(family.prototypes().contains(answer), answer);
            assertEquals(answer, greedy(prompt));
        }
    }
}
