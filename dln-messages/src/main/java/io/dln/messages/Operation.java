package io.dln.messages;

/** The three things a worker can be asked to do with an LLM backend. */
public enum Operation {
    GENERATE, LOG_PROBABILITY, CLASS_DISTRIBUTION;

    public String topic() {
        return this == GENERATE ? Topics.GENERATE_REQUESTS : Topics.SCORE_REQUESTS;
    }
}
