package io.dln.core.lm;

/** How the probabilities of a class's several verbalizers combine into the class's mass. */
public enum VerbalizerAggregation {
    /** The most likely verbalizer stands for the class (used when scoring a target). */
    MAX,
    /** All verbalizers add up (used when the forward pass picks a class). */
    SUM
}
