package io.dln.sampler;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ChatModelListener} bean: the LangChain4j extension hands every such bean to the chat models it builds, so
 * what it hears is what went through the extension's model. Remembers each answered call's model and thread, and when
 * each attempt was sent and failed.
 */
@ApplicationScoped
public class ChatCalls implements ChatModelListener {

    record Answered(String model, String thread, String provider) {
    }

    enum Kind { SENT, FAILED }

    /** {@code messages}: the request's messages as text; {@code nanos}: System.nanoTime() when it happened. */
    record Event(Kind kind, String messages, long nanos) {
    }

    private final List<Answered> answered = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onRequest(ChatModelRequestContext context) {
        events.add(new Event(Kind.SENT, text(context.chatRequest()), System.nanoTime()));
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        answered.add(new Answered(context.chatRequest().parameters().modelName(), Thread.currentThread().getName(),
                String.valueOf(context.modelProvider())));
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        events.add(new Event(Kind.FAILED, text(context.chatRequest()), System.nanoTime()));
    }

    List<Answered> answered() {
        return List.copyOf(answered);
    }

    /** The attempts whose messages contain {@code marker}, in the order they happened. */
    List<Event> eventsOf(String marker) {
        return events.stream().filter(e -> e.messages().contains(marker)).toList();
    }

    private static String text(ChatRequest request) {
        return String.valueOf(request.messages());
    }
}
