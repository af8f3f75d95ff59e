package io.dln.llm;

/** What a call to a backend was for; counters and listeners are keyed by it. */
public enum LlmOperation {
    GENERATE,
    LOG_PROBABILITY,
    CLASS_DISTRIBUTION,
    PROBE
}
