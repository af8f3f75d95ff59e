package io.dln.messages;

/** Topic names; the services' channel names are the same strings. */
public final class Topics {

    public static final String GENERATE_REQUESTS = "dln.generate.requests";
    public static final String SCORE_REQUESTS = "dln.score.requests";
    public static final String RESULTS = "dln.results";
    public static final String RUN_COMMANDS = "dln.run.commands";
    public static final String RUN_EVENTS = "dln.run.events";
    public static final String GENERATE_REQUESTS_DLQ = "dln.generate.requests.dlq";
    public static final String SCORE_REQUESTS_DLQ = "dln.score.requests.dlq";

    private Topics() {
    }
}
