package io.dln.llm;

import io.dln.core.lm.Capabilities;

/**
 * Capabilities declared in configuration; each non-null field wins over what the probe found.
 * {@code maxTopLogprobs} also caps the k asked for in first-token top-k calls.
 */
public record CapabilityOverrides(Boolean generation, Boolean echoLogprobs, Boolean topLogprobs, Integer maxTopLogprobs) {

    public static final CapabilityOverrides NONE = new CapabilityOverrides(null, null, null, null);

    public CapabilityOverrides {
        if (maxTopLogprobs != null && maxTopLogprobs < 0) {
            throw new IllegalArgumentException("capabilityOverrides.maxTopLogprobs must not be negative, was " + maxTopLogprobs);
        }
    }

    public Capabilities applyTo(Capabilities found) {
        return new Capabilities(
                generation != null ? generation : found.generation(),
                echoLogprobs != null ? echoLogprobs : found.echoLogprobs(),
                topLogprobs != null ? topLogprobs : found.topLogprobs(),
                maxTopLogprobs != null ? maxTopLogprobs : found.maxTopLogprobs(),
                found.logitBias());
    }

    public boolean isEmpty() {
        return generation == null && echoLogprobs == null && topLogprobs == null && maxTopLogprobs == null;
    }
}
