package io.dln.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.GuidanceAction;
import io.dln.core.model.NetworkPrompts;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guided search against the real services, every person's action through the gateway: a guided run pauses after its
 * iteration, a person pins a candidate they saw in the step's trace, resumes, and the next step starts from it; the
 * run ends with the prompts of an in-process run given the same guidance at the same iteration. Guidance pending when
 * the trainer is killed (while the run is paused, and while the step that applies it is under way) is honoured once.
 */
@ExtendWith(PipelineExtension.class)
class GuidedSearchTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(4).batchSize(8).pSamples(4).hSamples(2)
            .validateEvery(1).build();

    private static ServiceProcess trainer;
    private static ServiceProcess gateway;

    @BeforeAll
    static void start(Pipeline pipeline) {
        pipeline.stopSharedTrainer(); // the kills below decide which trainer holds the run: no other may take it
        trainer = pipeline.startTrainer("trainer-guided-1", 2);
        gateway = pipeline.startGateway();
    }

    @AfterAll
    static void stop() {
        gateway.stop();
        trainer.stop();
    }

    @Test
    void pauseEveryIterationPinACandidateResumeAndTheNextStepStartsFromIt(Pipeline pipeline) {
        Scenario scenario = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 61);
        UUID run = scenario.startGuided(Pipeline.BACKEND);

        String pinned = pauseAndPinACandidate(run);
        JsonNode recorded = GatewayCalls.get(gateway, "/api/runs/" + run + "/guidance").get("items").get(0);
        assertEquals("bootstrap", recorded.get("author").asText(), recorded.toString());
        GatewayCalls.post(gateway, "/api/runs/" + run + "/resume", Map.of("guided", false), 202);

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        JsonNode trace = GatewayCalls.get(gateway, "/api/runs/" + run + "/iterations/1/trace");
        assertEquals(pinned, trace.get("promptsBefore").get("p2").asText(), "the step after the pause starts from the pinned prompt");
        assertNotEquals(pinned, trace.get("previousIterationPrompts").get("p2").asText());
        assertEquals(1, trace.get("guidance").size(), trace.get("guidance").toString());
        assertEquals(recorded.get("id").asText(), trace.get("guidance").get(0).get("id").asText());
        assertEquals(List.of(1), appliedAt(run));
        Runs.assertSameAsReference(run, scenario.reference(pipeline.simulator.baseUrl(), Map.of(1, List.of(GuidanceAction.pin(2, pinned)))));
    }

    @Test
    void guidancePendingWhenTheTrainerIsKilledIsHonouredExactlyOnce(Pipeline pipeline) {
        Scenario scenario = Scenario.generated("basket-totals", 30, 40, 20, SETTINGS, 62);
        UUID run = scenario.startGuided(Pipeline.BACKEND);
        String pinned = pauseAndPinACandidate(run);
        GatewayCalls.post(gateway, "/api/runs/" + run + "/guidance",
                Map.of("action", "feedback", "layer", 1, "text", "Work out each total before you compare them."), 201);

        trainer.kill9(); // while the run is paused with its guidance pending
        trainer = pipeline.startTrainer("trainer-guided-2", 2);
        Runs.sleep(3_000);
        assertEquals("PAUSED", Db.run(run).status(), "a paused run keeps its place: no trainer takes it until it is resumed");

        // The scorer is frozen so that the step cannot end before the kill: a fast step on an idle simulator can take
        // and finish the run between two polls of its lease.
        pipeline.scorer.freeze();
        try {
            GatewayCalls.post(gateway, "/api/runs/" + run + "/resume", null, 202); // still guided: it pauses again after iteration 1
            awaitHeldBy(run, "trainer-guided-2");
            trainer.kill9(); // while the step that applies the guidance is under way
        } finally {
            pipeline.scorer.thaw();
        }
        assertEquals(1, Db.history(run).size(), "the kill came before iteration 1 was stored");
        trainer = pipeline.startTrainer("trainer-guided-3", 2);

        awaitPaused(run, 2);
        assertEquals(List.of(1, 1), appliedAt(run), "both actions applied once, at iteration 1");
        assertEquals(pinned, GatewayCalls.get(gateway, "/api/runs/" + run + "/iterations/1/trace").get("promptsBefore").get("p2").asText());
        GatewayCalls.post(gateway, "/api/runs/" + run + "/resume", Map.of("guided", false), 202);

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        assertEquals(List.of(1, 1), appliedAt(run));
        Runs.assertSameAsReference(run, scenario.reference(pipeline.simulator.baseUrl(), Map.of(1, List.of(GuidanceAction.pin(2, pinned),
                GuidanceAction.feedback(1, "Work out each total before you compare them.")))));
    }

    /** Waits for the guided run to pause after its first iteration and pins an output candidate that step did not choose. */
    private static String pauseAndPinACandidate(UUID run) {
        awaitPaused(run, 1);
        String pinned = notChosenCandidate(run, 0);
        GatewayCalls.post(gateway, "/api/runs/" + run + "/guidance", Map.of("action", "pin", "layer", 2, "prompt", pinned), 201);
        return pinned;
    }

    private static void awaitPaused(UUID run, int iteration) {
        Db.RunRow paused = Runs.awaitRun(run, r -> !r.status().equals("QUEUED") && !r.status().equals("RUNNING"), Duration.ofMinutes(2),
                "pause");
        assertEquals("PAUSED", paused.status(), paused.toString());
        assertEquals(iteration, paused.iteration());
        assertNull(paused.leaseOwner());
        JsonNode shown = GatewayCalls.get(gateway, "/api/runs/" + run);
        assertEquals("PAUSED", shown.get("status").asText());
        assertTrue(shown.get("guided").asBoolean());
    }

    /** Waits until the trainer has taken the run: its step is about to begin or under way. */
    private static void awaitHeldBy(UUID run, String owner) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!owner.equals(Db.run(run).leaseOwner())) {
            if (System.nanoTime() > deadline) throw new AssertionError(owner + " did not take run " + run + ": " + Db.run(run));
            Runs.sleep(10);
        }
    }

    /** A candidate output prompt of the iteration's step that the step did not choose. */
    private static String notChosenCandidate(UUID run, int iteration) {
        JsonNode candidates = GatewayCalls.get(gateway, "/api/runs/" + run + "/iterations/" + iteration + "/trace").get("candidates").get("p2");
        for (JsonNode candidate : candidates) {
            if (!candidate.get("chosen").asBoolean()) return candidate.get("prompt").asText();
        }
        throw new AssertionError("every output candidate of iteration " + iteration + " was chosen: " + candidates);
    }

    /** The iteration each guidance action was applied at, oldest first (null while pending). */
    private static List<Integer> appliedAt(UUID run) {
        JsonNode items = GatewayCalls.get(gateway, "/api/runs/" + run + "/guidance").get("items");
        List<Integer> applied = new java.util.ArrayList<>();
        for (JsonNode item : items) applied.add(item.get("appliedAtIteration").isNull() ? null : item.get("appliedAtIteration").asInt());
        return applied;
    }
}
