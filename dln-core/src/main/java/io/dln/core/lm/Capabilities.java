package io.dln.core.lm;

/**
 * What a backend offers (DESIGN §2): generation; log p(target | context) through echoed
 * log-probabilities; first-token top-k log-probabilities, up to {@code maxTopLogprobs}.
 */
public record Capabilities(boolean generation, boolean echoLogprobs, boolean topLogprobs, int maxTopLogprobs) {

    public static final Capabilities ALL = new Capabilities(true, true, true, 20);
    public static final Capabilities GENERATION_ONLY = new Capabilities(true, false, false, 0);
}
