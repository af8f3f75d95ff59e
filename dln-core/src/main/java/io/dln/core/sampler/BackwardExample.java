package io.dln.core.sampler;

import java.util.Map;

/** What the backward LLM sees of one example: its input, the expected and the produced output, the loss. */
public record BackwardExample(String input, String target, String output, double loss) {

    Map<String, Object> asVariables() {
        return Map.of("input", input, "target", target, "output", output, "loss", loss);
    }
}
