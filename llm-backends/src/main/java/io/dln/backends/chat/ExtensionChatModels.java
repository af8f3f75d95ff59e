package io.dln.backends.chat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.dln.llm.BackendConfig;
import io.dln.llm.ChatModelSource;
import io.quarkiverse.langchain4j.openai.QuarkusOpenAiChatModelBuilderFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The chat model of backend {@code dln.backends.<name>}, built by the LangChain4j Quarkus extension
 * (quarkus-langchain4j-openai) as it builds the model of a named configuration {@code quarkus.langchain4j.openai.<name>}:
 * its builder factory, the backend's name as the configuration name (so a {@code ModelAuthProvider} bean of that
 * name applies), the extension's REST client, and every {@link ChatModelListener} bean, among them
 * the extension's metrics ({@code gen_ai.client.*}) and span listeners.
 * <p>
 * Built here at run time rather than declared as {@code quarkus.langchain4j.openai.<name>.*}: the extension makes a
 * bean only for the model names its build step finds (injection points, AI services), while backends are run-time
 * configuration (a ConfigMap may add one without a rebuild). One HTTP attempt per call ({@code max-retries} 0): our
 * {@code CallGuard} retries, hedges and limits around it.
 */
public final class ExtensionChatModels implements ChatModelSource {

    private final List<ChatModelListener> listeners;
    private final Predicate<String> logRequests;

    /**
     * @param logRequests whether a backend's requests and responses are logged by the extension (off by default: they
     *                    carry prompts)
     */
    public ExtensionChatModels(List<ChatModelListener> listeners, Predicate<String> logRequests) {
        this.listeners = List.copyOf(listeners);
        this.logRequests = logRequests;
    }

    @Override
    public ChatModel create(BackendConfig config, Optional<String> apiKey) {
        if (!(OpenAiChatModel.builder() instanceof QuarkusOpenAiChatModelBuilderFactory.Builder builder)) {
            throw new IllegalStateException("quarkus-langchain4j-openai is not on the class path: its builder factory does not serve OpenAiChatModel.builder()");
        }
        boolean log = logRequests.test(config.name());
        builder.configName(config.name());
        return builder
                .baseUrl(config.baseUrl())
                // a backend without a key (vLLM, the simulator) gets no Authorization header either way
                .apiKey(apiKey.orElse(null))
                .modelName(config.model())
                .timeout(config.timeout())
                .maxRetries(0)
                .logRequests(log)
                .logResponses(log)
                .listeners(listeners)
                .build();
    }
}
