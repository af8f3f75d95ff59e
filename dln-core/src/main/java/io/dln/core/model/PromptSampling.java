package io.dln.core.model;

/**
 * How prompt proposals are drawn: each backward call writes one new prompt (the paper's default), or each call
 * writes three numbered prompts in sequence, each refining the one before (the reference's sequential sampler).
 */
public enum PromptSampling {
    INDEPENDENT, SEQUENTIAL
}
