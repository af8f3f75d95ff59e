package io.dln.llm;

import dev.langchain4j.model.chat.ChatModel;

import java.util.Optional;

/**
 * Where a backend's LangChain4j chat model comes from when it is not llm-client's own: in the Quarkus services, the
 * model the LangChain4j Quarkus extension builds (llm-backends). Such a model speaks HTTP through its own client, so
 * {@link ChatBackend} applies each attempt's deadline and cancellation around the call and reads its failures
 * ({@link ForeignChatCalls}); limits, retries, hedging and listeners stay in {@link CallGuard} as for every call.
 */
@FunctionalInterface
public interface ChatModelSource {

    /**
     * A chat model for {@code config}: its base URL and model, {@code apiKey} for authentication, one HTTP attempt per
     * call (no retries of its own) and {@code config.timeout()} as its HTTP timeout. Called once, at the backend's
     * first chat call.
     */
    ChatModel create(BackendConfig config, Optional<String> apiKey);
}
