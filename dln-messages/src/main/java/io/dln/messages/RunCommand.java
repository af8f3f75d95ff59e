package io.dln.messages;

/** An instruction for the trainers about a run: START (a new run is queued), CANCEL, RESUME. */
public record RunCommand(String runId, Type type, String requestedBy) {

    public enum Type { START, CANCEL, RESUME }
}
