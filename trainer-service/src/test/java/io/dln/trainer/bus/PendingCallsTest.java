package io.dln.trainer.bus;

import io.dln.core.lm.GenerationRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which runs wait for answers that do not come, and which are merely busy. */
class PendingCallsTest {

    private static final long S = 1_000_000_000L;
    private static final long BOUND = 60 * S;

    private final PendingCalls calls = new PendingCalls();

    private static LlmRequest request(String runId, String id) {
        return LlmRequest.generate(id, runId, 0, Long.MAX_VALUE, "simulator", 0,
                new GenerationRequest("prompt " + id, 1, 0.0, 8, List.of(), 0));
    }

    private static LlmResult.CallResult answer(String id) {
        return LlmResult.CallResult.error(id, "answered for the test");
    }

    @Test
    void aRunIsStalledWhenItsCallsGetNoAnswerForTheBound() {
        calls.register(request("a", "a1"), 0);
        calls.register(request("a", "a2"), 0);
        calls.register(request("b", "b1"), 0);
        assertEquals(Set.of(), calls.stalledRuns(59 * S, BOUND));

        calls.complete(answer("b1"), 30 * S); // b has nothing outstanding now
        calls.complete(answer("a1"), 50 * S); // a got an answer: progress
        assertEquals(Set.of(), calls.stalledRuns(100 * S, BOUND));
        assertEquals(Set.of("a"), calls.stalledRuns(110 * S, BOUND), "a2 still waits, nothing came for 60 s");
    }

    @Test
    void waitingStartsWhenARunSendsAgainAfterHavingNothingOutstanding() {
        calls.register(request("a", "a1"), 0);
        calls.complete(answer("a1"), S);
        calls.register(request("a", "a2"), 500 * S); // after a long phase without calls
        assertEquals(Set.of(), calls.stalledRuns(501 * S, BOUND));
        assertEquals(Set.of("a"), calls.stalledRuns(560 * S, BOUND));
    }

    @Test
    void aFailedOrForgottenRunIsNotStalled() {
        calls.register(request("a", "a1"), 0);
        calls.register(request("b", "b1"), 0);
        calls.failRun("a", new IllegalStateException("cancelled"));
        calls.forgetRun("b");
        assertEquals(Set.of(), calls.stalledRuns(1000 * S, BOUND));
        assertEquals(0, calls.size());
        assertTrue(!calls.register(request("b", "b2"), 1000 * S).isEmpty());
        assertEquals(Set.of("b"), calls.stalledRuns(1060 * S, BOUND));
    }

    @Test
    void eachCallOfABatchIsAnsweredOnItsOwnAndARepeatedAnswerIsADuplicate() {
        var payload = new GenerationRequest("prompt", 1, 0.7, 8, List.of(), 3);
        LlmRequest batch = LlmRequest.batch("m", "a", 0, 1, Long.MAX_VALUE, "simulator", io.dln.messages.Operation.GENERATE, 0,
                List.of(LlmRequest.Call.of("a1", payload), LlmRequest.Call.of("a2", payload)));
        var futures = calls.register(batch, 0);
        assertEquals(2, calls.size());
        assertTrue(calls.complete(answer("a2"), S));
        assertTrue(futures.get(1).isDone());
        assertTrue(!futures.get(0).isDone(), "a1 still waits");
        assertTrue(!calls.complete(answer("a2"), S), "a second answer to a2 is a duplicate");
        assertEquals(1, calls.size());
    }
}
