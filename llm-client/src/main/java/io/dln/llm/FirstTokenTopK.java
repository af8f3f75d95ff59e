package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.util.Map;

/** The top-k alternatives for the first generated token (token text to log-probability) and the call's cost. */
record FirstTokenTopK(Map<String, Double> logprobs, TokenUsage usage) {

    FirstTokenTopK {
        logprobs = Map.copyOf(logprobs);
    }
}
