package io.dln.tasks;

/** Which layer an insight helps: the hidden analysis layer or the output (answer) layer. */
public enum InsightKind {
    /** Helps work out the intermediate result, so it matters most in the hidden layer's instruction. */
    REASONING,
    /** Helps turn what is known into the right answer, so it matters most in the output layer's instruction. */
    ANSWER
}
