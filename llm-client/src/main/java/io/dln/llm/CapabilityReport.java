package io.dln.llm;

import io.dln.core.lm.Capabilities;

/**
 * What a backend was found (or, before probing, presumed) to offer, with the reason for each capability it lacks.
 */
record CapabilityReport(Capabilities found, boolean probed, String echoReason, String topLogprobsReason) {

    static final String NOT_PROBED = "not probed yet (call probe() at start-up, or declare it in capabilityOverrides)";
    static final String NO_COMPLETIONS = "backend kind OPENAI_CHAT has no /v1/completions endpoint";

    /** Before the probe: vLLM is known to offer everything, OpenAI chat top-k only; anything else is unknown. */
    static CapabilityReport presumed(BackendKind kind, int topK) {
        return switch (kind) {
            case VLLM -> new CapabilityReport(new Capabilities(true, true, true, topK), false, null, null);
            case OPENAI_CHAT -> new CapabilityReport(new Capabilities(true, false, true, topK), false, NO_COMPLETIONS, null);
            case OPENAI_COMPATIBLE -> new CapabilityReport(new Capabilities(true, false, false, 0), false, NOT_PROBED, NOT_PROBED);
        };
    }
}
