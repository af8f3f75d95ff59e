package io.dln.core.lm;

/**
 * What a backend offers (DESIGN §2): generation; log p(target | context) through echoed
 * log-probabilities; first-token top-k log-probabilities, up to {@code maxTopLogprobs}; and a logit bias on
 * chosen texts' first tokens (which needs the server's own token ids: the client asks the server's
 * tokenizer endpoint, so no tokenizer is shipped).
 */
public record Capabilities(boolean generation, boolean echoLogprobs, boolean topLogprobs, int maxTopLogprobs,
                           boolean logitBias) {

    public static final Capabilities ALL = new Capabilities(true, true, true, 20, true);
    public static final Capabilities GENERATION_ONLY = new Capabilities(true, false, false, 0);

    /** Without a logit bias, which only generation-only backends need. */
    public Capabilities(boolean generation, boolean echoLogprobs, boolean topLogprobs, int maxTopLogprobs) {
        this(generation, echoLogprobs, topLogprobs, maxTopLogprobs, false);
    }
}
