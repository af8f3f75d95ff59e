package io.dln.gateway.runs;

import io.dln.messages.RunEvent;

/**
 * A run event with where it is in the run events topic. Its SSE id is {@code <partition>-<offset>}: a client that
 * reconnects with it as {@code Last-Event-ID} gets what came after it, read back from the topic.
 */
public record FeedEvent(RunEvent event, int partition, long offset) {

    public String id() {
        return id(partition, offset);
    }

    static String id(int partition, long offset) {
        return partition + "-" + offset;
    }

    /** The position an SSE id names, or null when it is not one of ours. */
    static Position parse(String id) {
        if (id == null) return null;
        String[] parts = id.strip().split("-", -1);
        if (parts.length != 2) return null;
        try {
            int partition = Integer.parseInt(parts[0]);
            long offset = Long.parseLong(parts[1]);
            return partition < 0 || offset < -1 ? null : new Position(partition, offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    record Position(int partition, long offset) {
    }
}
