package io.dln.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetsTest {

    @Test
    void everyPresetIsWithinTheRangesAndFitsTheDefaultStepCeilings() {
        StepCost.SplitSizes splits = new StepCost.SplitSizes(1000, 250, 250, 1500);
        StepCost.Ceilings trainer = new StepCost.Ceilings(StepCost.Ceilings.DEFAULT_MAX_CALLS_PER_STEP, 128L << 20, "x");
        for (String name : Presets.NAMES) {
            for (String family : Presets.FAMILIES) {
                DlnSettings settings = Presets.named(name + ":" + family);
                assertEquals(List.of(), StepCost.refusals(settings, splits, trainer), name + ":" + family);
            }
        }
    }

    @Test
    void theValuesAreThoseOfTheReferenceScripts() {
        DlnSettings dln1 = Presets.named("paper-dln1");
        assertEquals(List.of(1, 20, 20, 10, 2, 2), List.of(dln1.layers(), dln1.iterations(), dln1.batchSize(), dln1.pSamples(),
                dln1.memorySize(), dln1.patience()));
        assertTrue(dln1.heldOutRanking() && dln1.balanceBatch() && dln1.validateFirst());

        DlnSettings bbh = Presets.named("paper-dln2");
        assertEquals(bbh, Presets.named("paper-dln2:bbh"), "BBH when no family is named");
        assertEquals(List.of(2, 10, 10, 10, 5, 2), List.of(bbh.layers(), bbh.batchSize(), bbh.pSamples(), bbh.hSamples(),
                bbh.memorySize(), bbh.patience()));
        assertEquals(5.0, bbh.trustFactor());
        assertEquals(2.0, bbh.logpPenalty());
        assertTrue(bbh.stripOptionsForHidden() && !bbh.validateFirst());
        assertEquals(List.of("posterior-with-answer", "hidden-forward"), bbh.posteriorTemplates());

        DlnSettings leopard = Presets.named("paper-dln2:leopard");
        assertEquals(leopard, Presets.named("PAPER-DLN2:ordered-prompt"), "one NLU sweep for both families");
        assertEquals(List.of(50, 20, 20, 5), List.of(leopard.iterations(), leopard.batchSize(), leopard.pSamples(), leopard.hSamples()));
        assertTrue(leopard.rewriteLossOnly() && !leopard.heldOutRanking());
    }

    @Test
    void unknownNamesAndFamiliesSayWhatExists() {
        var name = assertThrows(IllegalArgumentException.class, () -> Presets.named("paper-dln3"));
        assertTrue(name.getMessage().contains("presets: paper-dln1, paper-dln2"), name.getMessage());
        var family = assertThrows(IllegalArgumentException.class, () -> Presets.named("paper-dln1:glue"));
        assertTrue(family.getMessage().contains("families: bbh, ordered-prompt, leopard"), family.getMessage());
        assertEquals("ordered-prompt", Presets.familyOf("ORDERED_PROMPT"));
        assertEquals("leopard", Presets.familyOf("LEOPARD"));
        assertEquals("bbh", Presets.familyOf("JSONL"));
    }
}
