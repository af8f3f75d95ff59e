package io.dln.pipeline;

import io.dln.core.model.NetworkPrompts;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Waiting for runs and checking what they stored. */
final class Runs {

    private Runs() {
    }

    static Db.RunRow awaitRun(UUID runId, Predicate<Db.RunRow> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Db.RunRow row = Db.run(runId);
        while (!condition.test(row)) {
            if (System.nanoTime() > deadline) fail("run " + runId + " did not " + what + " within " + timeout.toSeconds() + " s: " + row);
            sleep(100);
            row = Db.run(runId);
        }
        return row;
    }

    static Db.RunRow awaitSuccess(UUID runId, Duration timeout) {
        Db.RunRow row = awaitRun(runId, r -> !r.status().equals("QUEUED") && !r.status().equals("RUNNING"), timeout, "end");
        assertEquals("SUCCEEDED", row.status(), "run " + runId + " ended with " + row);
        return row;
    }

    /** The run had not ended when a service was killed, so the kill really hit it mid-run. */
    static void assertStillRunning(UUID runId) {
        Db.RunRow row = Db.run(runId);
        assertEquals("RUNNING", row.status(), "the kill should come in the middle of the run: " + row);
    }

    /**
     * Every iteration stored once, in order, with the prompts of the in-process run; the registered model
     * holds its best prompts.
     */
    static void assertSameAsReference(UUID runId, List<NetworkPrompts> reference) {
        List<Db.IterationRow> history = Db.history(runId);
        List<NetworkPrompts> perIteration = reference.subList(0, reference.size() - 1);
        assertEquals(perIteration.size(), history.size(), "one history row per iteration: " + history);
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i, history.get(i).iteration());
            assertEquals(perIteration.get(i), new NetworkPrompts(history.get(i).p1(), history.get(i).p2()), "prompts after iteration " + i);
        }
        NetworkPrompts best = reference.getLast();
        Db.RunRow run = Db.run(runId);
        assertEquals(best, new NetworkPrompts(run.bestP1(), run.bestP2()), "best prompts");
        List<String> model = Db.modelOf(runId);
        assertNotNull(model, "the trained DLN is registered");
        assertEquals(best, new NetworkPrompts(model.get(0), model.get(1)), "registered prompts");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
