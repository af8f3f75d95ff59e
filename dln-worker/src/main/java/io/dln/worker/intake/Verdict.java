package io.dln.worker.intake;

import io.dln.messages.LlmRequest;

/** What to do with one consumed record. */
public sealed interface Verdict {

    /** Call the backend and publish the result. */
    record Serve(LlmRequest request) implements Verdict {
    }

    /** Its deadline has passed: nobody waits for the answer any more. */
    record Expired(LlmRequest request) implements Verdict {
    }

    /** Cannot be served as it is: to the dead-letter topic, with {@code reason}; {@code kind} tags the metric. */
    record DeadLetter(String kind, String reason) implements Verdict {
    }
}
