package io.dln.core.model;

/**
 * What happens after {@code patience} validations without improvement: the paper's scripts reload the best
 * prompts so far and go on training (the reference's "tolerance"), or training stops there.
 */
public enum PatienceRule {
    RELOAD_BEST, STOP
}
