package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetClassesTest {

    @Test
    void findsTheClassListingTheTarget() {
        OutputClasses classes = OutputClasses.of("a|A|(A)", "b|B|(B)");
        assertEquals(0, TargetClasses.indexOf(classes, "(A)"));
        assertEquals(1, TargetClasses.indexOf(classes, "B"));
    }

    @Test
    void fallsBackToTheNormalisedWord() {
        OutputClasses classes = OutputClasses.of("a|A", "b|B");
        assertEquals(0, TargetClasses.indexOf(classes, "(A)"));
        assertEquals(1, TargetClasses.indexOf(classes, "Option (B)."));
        assertEquals(-1, TargetClasses.indexOf(classes, "(C)"));
    }

    @Test
    void hasNoClassForAnAmbiguousOrEmptyTarget() {
        assertEquals(-1, TargetClasses.indexOf(OutputClasses.of("yes|ok", "no|ok"), "ok"));
        assertEquals(-1, TargetClasses.indexOf(OutputClasses.of("yes|Yes", "yes!"), "YES"));
        assertEquals(-1, TargetClasses.indexOf(OutputClasses.of("a", "b"), "(?)"));
    }

    @Test
    void datasetAsksTheSameWay() {
        Dataset dataset = new Dataset("t", null, OutputClasses.of("yes|Yes", "no|No"),
                java.util.List.of(), java.util.List.of(), java.util.List.of());
        assertEquals(1, dataset.classIndexOf("No"));
        assertEquals(0, dataset.classIndexOf("yes."));
    }
}
