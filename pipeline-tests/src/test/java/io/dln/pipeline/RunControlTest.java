package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run stops where its token budget runs out, a cancelled run stops within seconds even in the middle of a step, and a
 * paused run stops after its iteration, stays paused, and once resumed ends as if it had never paused.
 */
@ExtendWith(PipelineExtension.class)
class RunControlTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(20).batchSize(8).pSamples(3).hSamples(2)
            .validateEvery(1).build();

    @BeforeAll
    static void startTrainer(Pipeline pipeline) {
        pipeline.sharedTrainer();
    }

    @Test
    void aRunStopsWhenItsTokenBudgetIsUsedUp() {
        UUID run = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 51).start(Pipeline.BACKEND, 60_000L);

        Db.RunRow end = Runs.awaitRun(run, r -> r.status().equals("FAILED") || r.status().equals("SUCCEEDED"),
                Duration.ofMinutes(3), "end");

        assertEquals("FAILED", end.status());
        assertTrue(end.error().contains("token budget of 60000 tokens is used up"), end.error());
        assertTrue(end.iteration() > 0 && end.iteration() < 20, "stopped part way: " + end);
        assertNull(Db.modelOf(run), "nothing is registered");
    }

    /**
     * Issue 13.8: the second run asks the scorer what the first asked, so its cache answers; tokens sent differ, but the
     * tokens used (what the calls need, which the budget counts) do not, and both runs stop at the same iteration.
     */
    @Test
    void aBudgetStopsAWarmAndAColdRunAtTheSamePlace() {
        Scenario scenario = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 55);
        UUID cold = scenario.start(Pipeline.BACKEND, 60_000L);
        Db.RunRow coldEnd = Runs.awaitRun(cold, r -> r.status().equals("FAILED") || r.status().equals("SUCCEEDED"),
                Duration.ofMinutes(3), "end");
        UUID warm = scenario.start(Pipeline.BACKEND, 60_000L);
        Db.RunRow warmEnd = Runs.awaitRun(warm, r -> r.status().equals("FAILED") || r.status().equals("SUCCEEDED"),
                Duration.ofMinutes(3), "end");

        assertEquals("FAILED", warmEnd.status(), warmEnd.toString());
        assertEquals(coldEnd.iteration(), warmEnd.iteration(), "both stop after the same iteration");
        // A batched top-k call's usage is shared among its prompts by their length, so a prompt's share depends a little on
        // the batch it landed in: equal within a per cent, where counting cached answers as free would differ by half.
        assertEquals(coldEnd.tokensUsed(), warmEnd.tokensUsed(), coldEnd.tokensUsed() / 100.0,
                "tokens used do not depend on the cache: " + coldEnd + " " + warmEnd);
        assertTrue(warmEnd.tokensSent() != null && warmEnd.tokensSent() < warmEnd.tokensUsed(),
                "the warm run's cache saved tokens: " + warmEnd);
        assertTrue(coldEnd.tokensSent() != null && coldEnd.tokensSent() > warmEnd.tokensSent(), cold + " " + warmEnd);
    }

    @Test
    void aCancelledRunStopsAtTheNextIteration() {
        UUID run = Scenario.generated("basket-totals", 30, 20, 20, SETTINGS, 52).start(Pipeline.BACKEND);
        Runs.awaitRun(run, r -> r.iteration() >= 1, Duration.ofMinutes(2), "start");

        Db.requestCancel(run);

        Db.RunRow end = Runs.awaitRun(run, r -> !r.status().equals("RUNNING"), Duration.ofMinutes(1), "stop");
        assertEquals("CANCELLED", end.status());
        assertTrue(end.iteration() < 20);
        assertEquals(end.iteration(), Db.history(run).size(), "every finished iteration is in the history");
    }

    /**
     * On the slow backend every call takes 5 s, so the first iteration (validation, then a step of about six dependent
     * phases) takes over 40 s; a cancel that waited for the step to end could not be done within the 20 s allowed.
     */
    @Test
    void aCancelStopsARunInTheMiddleOfAStepWithinSeconds() {
        UUID run = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 54).start(Pipeline.SLOW_BACKEND);
        Runs.awaitRun(run, r -> r.leaseOwner() != null, Duration.ofMinutes(1), "be taken by the trainer");
        Runs.sleep(7_000); // past the first phase: calls of the validation are answered, others outstanding

        long requested = System.nanoTime();
        Db.requestCancel(run);

        Db.RunRow end = Runs.awaitRun(run, r -> !r.status().equals("RUNNING"), Duration.ofSeconds(20), "stop within 20 s");
        System.out.printf("cancelled %d ms after the request, inside the first step of a run on a 5 s backend%n",
                (System.nanoTime() - requested) / 1_000_000);
        assertEquals("CANCELLED", end.status());
        assertEquals(0, end.iteration(), "no iteration was stored");
        assertEquals(0, Db.history(run).size(), "nothing of the interrupted step is stored");
    }

    @Test
    void aPausedRunStaysPausedAndOnceResumedEndsAsIfItHadNeverPaused(Pipeline pipeline) {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(4).batchSize(6).pSamples(3).hSamples(2).validateEvery(1).build();
        Scenario scenario = Scenario.generated("sum-parity", 30, 20, 20, settings, 53);
        UUID run = scenario.start(Pipeline.BACKEND);
        List<NetworkPrompts> reference = scenario.reference(pipeline.simulator.baseUrl());
        Runs.awaitRun(run, r -> r.iteration() >= 1, Duration.ofMinutes(2), "start");

        Db.requestPause(run);

        Db.RunRow paused = Runs.awaitRun(run, r -> !r.status().equals("RUNNING"), Duration.ofMinutes(1), "pause");
        assertEquals("PAUSED", paused.status());
        assertNull(paused.leaseOwner(), "a paused run is held by no trainer");
        assertEquals(paused.iteration(), Db.history(run).size(), "it paused between two stored iterations");
        Runs.sleep(3_000); // several of the trainer's polls: it does not take a paused run
        assertEquals(paused, Db.run(run));

        Db.resume(run);

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        Runs.assertSameAsReference(run, reference);
    }
}
