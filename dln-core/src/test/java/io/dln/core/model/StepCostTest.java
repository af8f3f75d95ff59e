package io.dln.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepCostTest {

    private static final StepCost.SplitSizes SPLITS = new StepCost.SplitSizes(100, 50, 150, 1000);

    @Test
    void dln1CountsForwardProposalsAndEveryCandidateOnTheBatch() {
        DlnSettings settings = DlnSettings.builder().batchSize(20).pSamples(5).memorySize(2).build();
        StepCost cost = StepCost.estimate(settings, SPLITS);
        // 20 forward + 4 proposals + (5 + 2) candidates x 20 examples
        assertEquals(20 + 4 + 7 * 20, cost.callsPerStep());
        assertEquals(50, cost.callsPerValidation());
        // each call: 2 bytes x (512 x 4 prompt + 1000 input + 20 x 4 answer)
        assertEquals(cost.callsPerStep() * 2 * (2048 + 1000 + 80), cost.stepMemoryBytes());
    }

    @Test
    void dln2CountsSamplesWeightsAndBothUpdates() {
        DlnSettings settings = DlnSettings.builder().layers(2).batchSize(10).hSamples(3).pSamples(5).memorySize(0)
                .trustFactor(1).build();
        StepCost cost = StepCost.estimate(settings, SPLITS);
        long forward = 20, posterior = 30, weights = 60, p2 = 4 + 5 * 10 * 3 + 5 * 10, p1 = 4 + 5 * 10 * 4;
        assertEquals(forward + posterior + weights + p2 + p1, cost.callsPerStep());
        assertEquals(100, cost.callsPerValidation());
        assertEquals(cost.callsPerStep() * 2 * (2048 + 1000 + 1024 + 80), cost.stepMemoryBytes());
    }

    @Test
    void moreWeightTermsAndHiddenPromptStepsCostMoreCalls() {
        DlnSettings settings = DlnSettings.builder().layers(2).batchSize(10).hSamples(3).pSamples(5).p1Steps(2)
                .posteriorMiRegularization(true).posteriorCorrectWeighting(true).build();
        long forward = 20, posterior = 30, weights = 30 * 4, p2 = 4 + 5 * 10 * 3, p1 = 2 * (4 + 5 * 10 * 4);
        assertEquals(forward + posterior + weights + p2 + p1, StepCost.estimate(settings, SPLITS).callsPerStep());
    }

    @Test
    void theBatchCannotBeLargerThanTheTrainingSplit() {
        DlnSettings settings = DlnSettings.builder().batchSize(200).pSamples(1).build();
        assertEquals(10 + 1 * 10, StepCost.estimate(settings, new StepCost.SplitSizes(10, 5, 5, 10)).callsPerStep());
    }

    @Test
    void aStepAboveTheCeilingsIsRefusedNamingTheFieldsThatDriveIt() {
        DlnSettings huge = DlnSettings.builder().layers(2).batchSize(200).hSamples(64).pSamples(64).memorySize(20).build();
        StepCost.Ceilings ceilings = new StepCost.Ceilings(100_000, 1L << 30, "the test's ceilings");
        List<SettingViolation> refusals = StepCost.refusals(huge, SPLITS, ceilings);
        List<String> fields = refusals.stream().map(SettingViolation::field).distinct().toList();
        assertTrue(fields.containsAll(List.of("batchSize", "hSamples", "pSamples", "memorySize")), fields.toString());
        assertTrue(refusals.getFirst().message().contains("more than the 100000 allowed here (the test's ceilings)"), refusals.getFirst().message());
    }

    @Test
    void thePapersLargestExperimentsFitTheDefaultCallCeiling() {
        // the reference's largest sweep: batch 20, 50 prompt and 20 hidden samples, memory 5
        DlnSettings sweep = DlnSettings.builder().layers(2).batchSize(20).hSamples(20).pSamples(50).memorySize(5)
                .trustFactor(5).build();
        StepCost cost = StepCost.estimate(sweep, SPLITS);
        assertTrue(cost.callsPerStep() <= StepCost.Ceilings.DEFAULT_MAX_CALLS_PER_STEP, cost.toString());
        StepCost.Ceilings generous = new StepCost.Ceilings(StepCost.Ceilings.DEFAULT_MAX_CALLS_PER_STEP, Long.MAX_VALUE, "x");
        assertEquals(List.of(), StepCost.refusals(sweep, SPLITS, generous));
    }

    @Test
    void settingsOutOfRangeAreReportedBeforeAnyCostEstimate() {
        DlnSettings bad = DlnSettings.builder().pSamples(100_000).build();
        List<SettingViolation> refusals = StepCost.refusals(bad, SPLITS, new StepCost.Ceilings(1, 1, "x"));
        assertEquals(List.of("pSamples"), refusals.stream().map(SettingViolation::field).toList());
    }
}
