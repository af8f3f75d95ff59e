package io.dln.sampler;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ChatModelListener} bean: the LangChain4j extension hands every such bean to the chat models it builds, so
 * what it hears is what went through the extension's model. Remembers each answered call's model and thread.
 */
@ApplicationScoped
public class ChatCalls implements ChatModelListener {

    record Answered(String model, String thread, String provider) {
    }

    private final List<Answered> answered = new CopyOnWriteArrayList<>();

    @Override
    public void onResponse(ChatModelResponseContext context) {
        answered.add(new Answered(context.chatRequest().parameters().modelName(), Thread.currentThread().getName(),
                String.valueOf(context.modelProvider())));
    }

    List<Answered> answered() {
        return List.copyOf(answered);
    }
}
