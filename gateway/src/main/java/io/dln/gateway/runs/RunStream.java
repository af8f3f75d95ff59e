package io.dln.gateway.runs;

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
 * has been sent wait for it, so the client never sees progress older than its first state.
 */
final class RunStream {

    static final Set<String> FINAL_EVENTS = Set.of("FINISHED", "FAILED", "CANCELLED");

    private final MultiEmitter<? super OutboundSseEvent> emitter;
    private final Sse sse;
    private final ObjectMapper json;
    private final List<RunEvent> early = new ArrayList<>();
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

    synchronized void start(RunView state) {
        started = true;
        send("state", state);
        if (state.status().terminal()) {
            close();
            return;
        }
        for (RunEvent e : early) onEvent(e);
        early.clear();
    }

    synchronized void onEvent(RunEvent event) {
        if (closed) return;
        if (!started) {
            early.add(event);
            return;
        }
        send(event.type() == null ? "event" : event.type().toLowerCase(Locale.ROOT), event);
        if (FINAL_EVENTS.contains(event.type())) close();
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

    private void send(String name, Object data) {
        if (emitter.isCancelled()) {
            close();
            return;
        }
        emitter.emit(sse.newEventBuilder().name(name).data(String.class, toJson(data)).build());
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
