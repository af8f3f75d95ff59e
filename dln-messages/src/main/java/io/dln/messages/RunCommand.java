package io.dln.messages;

/**
 * An instruction for the trainers about a run: START (a new run is queued), CANCEL, RESUME, PAUSE. The database
 * is the truth (trainers read a run's flags with their lease); the commands are a record of who asked for what.
 */
public record RunCommand(String runId, Type type, String requestedBy) {

    public enum Type { START, CANCEL, RESUME, PAUSE }
}
