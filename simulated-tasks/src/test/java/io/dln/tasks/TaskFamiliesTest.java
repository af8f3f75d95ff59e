package io.dln.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TaskFamiliesTest {

    static Stream<TaskFamily> families() {
        return TaskWorld.standard().families().stream();
    }

    @ParameterizedTest
    @MethodSource("families")
    void generatorIsSeededAndSolverAgreesWithTargets(TaskFamily family) {
        List<TaskExample> examples = family.generate(7, 200);
        assertEquals(examples, family.generate(7, 200));
        assertNotEquals(examples, family.generate(8, 200));
        long first = examples.stream().filter(e -> e.target().equals(family.prototypes().getFirst())).count();
        assertTrue(first > 60 && first < 140, family.name() + " classes unbalanced: " + first + "/200");
        for (TaskExample e : examples) {
            assertEquals(e.target(), family.solve(e.input()));
            assertTrue(family.classIndex(e.target()) >= 0);
            assertEquals(family.name(), TaskWorld.standard().find(e.input()).orElseThrow().name(), e.input());
            assertFalse(e.input().contains("###"));
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void analysesAreJudgedAsWritten(TaskFamily family) {
        for (TaskExample e : family.generate(3, 100)) {
            List<String> right = family.analyses(e.input(), true);
            List<String> wrong = family.analyses(e.input(), false);
            assertTrue(right.size() >= 2 && !wrong.isEmpty());
            right.forEach(a -> assertEquals(Judgement.RIGHT, family.judge(e.input(), a), a));
            wrong.forEach(a -> assertEquals(Judgement.WRONG, family.judge(e.input(), a), e.input() + " / " + a));
            assertEquals(wrong, family.analyses(e.input(), false));
            assertEquals(Judgement.NONE, family.judge(e.input(), "I should read the question carefully."));
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void eachInsightSentenceCarriesItsOwnInsightOnly(TaskFamily family) {
        for (Insight insight : family.insights()) {
            assertTrue(insight.presentIn(insight.sentence()), insight.id());
            for (Insight other : family.insights()) {
                if (!other.id().equals(insight.id())) assertFalse(other.presentIn(insight.sentence()), other.id() + " in " + insight.id());
            }
            assertFalse(insight.presentIn(family.initialInstruction()), insight.id());
        }
        assertTrue(family.insights().stream().anyMatch(i -> i.kind() == InsightKind.REASONING));
        assertTrue(family.insights().stream().anyMatch(i -> i.kind() == InsightKind.ANSWER));
    }

    @ParameterizedTest
    @MethodSource("families")
    void classesHaveAPrototypeAndVariants(TaskFamily family) {
        for (String proto : family.prototypes()) {
            assertEquals(family.prototypes().indexOf(proto), family.classIndex(proto));
            assertEquals(family.prototypes().indexOf(proto), family.classIndex(" " + proto.toUpperCase() + "."));
        }
        assertEquals(-1, family.classIndex("maybe"));
    }

    @org.junit.jupiter.api.Test
    void intermediatesAreWhatAnAnalysisShouldReach() {
        assertEquals("49", new SumParityTask().intermediate("Is the sum of 12, 7 and 30 even or odd?"));
        assertEquals("odd", new SumParityTask().solve("Add together 12, 7 and 30. Is the total even or odd?"));
        String walk = NavigateTask.QUESTION + " Take 3 steps. Turn right. Take 2 steps. Turn around. Take 2 steps.\nOptions:\n- Yes\n- No";
        assertEquals("(0, 3)", new NavigateTask().intermediate(walk));
        assertEquals("No", new NavigateTask().solve(walk));
        String baskets = "The first basket holds 3 apples at 2 coins each and 1 melon at 5 coins each. The second basket"
                + " holds 2 cheeses at 4 coins each and 4 pears at 1 coin each. Which basket costs more in total, the first or the second?";
        assertEquals("first 11, second 12", new BasketTotalsTask().intermediate(baskets));
        assertEquals("second", new BasketTotalsTask().solve(baskets));
        assertTrue(TaskWorld.standard().find("Tell me a joke.").isEmpty());
    }
}
