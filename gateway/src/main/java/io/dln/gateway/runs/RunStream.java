package io.dln.gateway.runs;

import java.util.function.Supplier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.messages.RunEvent;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One client's server-sent event stream of a run: first a "state" event with the run as stored, then each run event
 * as it arrives (named by its type in lower case), completed after the run ends. Events that arrive before the state
 * has been sent wait for it, so the client never sees progress older than its first state. Every event has an id
 * (its place in the run events topic); a stream resumed from a client's Last-Event-ID starts with the events it
 * missed instead of the state, and no event is sent twice.
 */
final class RunStream {

    static final Set<String> FINAL_EVENTS = Set.of("FINISHED", "FAILED", "CANCELLED");

    private final MultiEmitter<? super OutboundSseEvent> emitter;
    private final Sse sse;
    private final ObjectMapper json;
    private final List<FeedEvent> early = new ArrayList<>();
    /** The offset of the last replayed event: live events up to it were replayed already. */
    private long replayedUpTo = -1;
    private AutoCloseable subscription;
    private boolean started;
    private boolean closed;

    RunStream(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, ObjectMapper json) {
        this.emitter = emitter;
        this.sse = sse;
        this.json = json;
        emitter.onTermination(this::close);
    }

    synchronized void subscribed(AutoCloseable handle) {
        subscription = handle;
        if (closed) release();
    }

    /** Starts with the run's state; {@code stateId} is the position of the topic that state reflects. */
    synchronized void start(RunView state, String stateId) {
        started = true;
        send("state", stateId, state);
        if (state.status().terminal()) {
            close();
            return;
        }
        flushEarly();
    }

    /**
     * Starts with the events the client missed; when none of them ended the run but the run has ended (its events
     * are no longer in the topic), with its state.
     */
    synchronized void resume(List<FeedEvent> missed, Supplier<RunView> state, String stateId) {
        started = true;
        for (FeedEvent e : missed) {
            onEvent(e);
            replayedUpTo = Math.max(replayedUpTo, e.offset());
            if (closed) return;
        }
        RunView now = state.get();
        if (now.status().terminal()) {
            send("state", stateId, now);
            close();
            return;
        }
        flushEarly();
    }

    synchronized void onEvent(FeedEvent feedEvent) {
        if (closed) return;
        if (!started) {
            early.add(feedEvent);
            return;
        }
        if (feedEvent.offset() <= replayedUpTo) return;
        RunEvent event = feedEvent.event();
        send(event.type() == null ? "event" : event.type().toLowerCase(Locale.ROOT), feedEvent.id(), event);
        if (FINAL_EVENTS.contains(event.type())) close();
    }

    private void flushEarly() {
        List<FeedEvent> waiting = List.copyOf(early);
        early.clear();
        for (FeedEvent e : waiting) onEvent(e);
    }

    synchronized void heartbeat() {
        if (closed) return;
        if (emitter.isCancelled()) {
            close();
            return;
        }
        emitter.emit(sse.newEventBuilder().comment("keep-alive").build());
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized void close() {
        if (closed) return;
        closed = true;
        release();
        emitter.complete();
    }

    synchronized void fail(Throwable error) {
        if (closed) return;
        closed = true;
        release();
        emitter.fail(error);
    }

    private void send(String name, String id, Object data) {
        if (emitter.isCancelled()) {
            close();
            return;
        }
        OutboundSseEvent.Builder event = sse.newEventBuilder().name(name).data(String.class, toJson(data));
        if (id != null) event.id(id);
        emitter.emit(event.build());
    }

    private void release() {
        if (subscription == null) return;
        try {
            subscription.close();
        } catch (Exception ignored) {
            // unsubscribing cannot fail
        }
        subscription = null;
    }

    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
