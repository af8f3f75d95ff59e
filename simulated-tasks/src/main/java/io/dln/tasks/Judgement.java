package io.dln.tasks;

/** What an analysis text says about a task's intermediate result. */
public enum Judgement {
    /** It states the correct intermediate result. */
    RIGHT,
    /** It states an intermediate result, and a wrong one. */
    WRONG,
    /** It states none. */
    NONE
}
