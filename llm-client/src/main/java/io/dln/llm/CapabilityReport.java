package io.dln.llm;

import io.dln.core.lm.Capabilities;

/**
 * What a backend was found (or, before probing, presumed) to offer, with the reason for each capability it lacks.
 */
record CapabilityReport(Capabilities found, boolean probed, String echoReason, String topLogprobsReason, String logitBiasReason) {

    CapabilityReport(Capabilities found, boolean probed, String echoReason, String topLogprobsReason) {
        this(found, probed, echoReason, topLogprobsReason, found.logitBias() ? null : NOT_PROBED);
    }

    static final String NOT_PROBED = "not probed yet (call probe() at start-up, or declare it in capabilityOverrides)";
    static final String NO_COMPLETIONS = "backend kind OPENAI_CHAT has no /v1/completions endpoint";

    /**
     * How the top-k size shapes class scores. A class verbalizer missing from the server's top k is counted at the
     * floor exp(min top-k log-probability), the probability of the least likely token listed, as the reference
     * counts it; that floor is at most 1/k. So a class the model finds less likely than the k-th token is credited
     * with the floor, and every class starts from it: with C classes the class distribution of a confident model is
     * flattened by up to C x floor, and two classes both below the floor cannot be told apart. A larger k lowers the
     * floor (vLLM: --max-logprobs).
     */
    static String classScoringNote(int k) {
        return "class scoring asks for the top " + k + " first-token log-probabilities; a class whose verbalizers are not"
                + " among them is counted at the floor exp(min top-" + k + " log-probability), at most 1/" + k
                + " = " + String.format(java.util.Locale.ROOT, "%.3g", 1.0 / k) + ", so classes less likely than the "
                + k + "th token are over-credited and cannot be told apart, and each class's share is flattened by up to"
                + " the number of classes times the floor; raise the server's limit (vLLM --max-logprobs) for a lower floor";
    }

    /** Before the probe: vLLM is known to offer everything, OpenAI chat top-k only; anything else is unknown. */
    static CapabilityReport presumed(BackendKind kind, int topK) {
        return switch (kind) {
            case VLLM -> new CapabilityReport(new Capabilities(true, true, true, topK), false, null, null);
            case OPENAI_CHAT -> new CapabilityReport(new Capabilities(true, false, true, topK), false, NO_COMPLETIONS, null);
            case OPENAI_COMPATIBLE -> new CapabilityReport(new Capabilities(true, false, false, 0), false, NOT_PROBED, NOT_PROBED);
        };
    }
}
