package io.dln.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import io.dln.core.lm.TokenUsage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Chat calls through a LangChain4j chat model: one user message per prompt, one sample per call.
 * <p>
 * Two sources of that model. By default (the CLI and other plain-library users) llm-client builds LangChain4j's
 * {@link OpenAiChatModel} over its own {@link HttpTransport}, so a chat attempt gets the transport's deadlines,
 * cancellation, Retry-After and key scrubbing like a completions attempt. In the Quarkus services a
 * {@link ChatModelSource} gives the model the LangChain4j Quarkus extension built (llm-backends), with the extension's
 * metrics, tracing and listeners; its HTTP goes through the extension's REST client (quarkus-langchain4j-openai
 * replaces LangChain4j's OpenAI client for the whole application), so {@link ForeignChatCalls} puts the attempt's
 * deadline and cancellation around each call instead. Either way {@link CallGuard} applies limits, retries, hedging and
 * call listeners (metrics, health) around every call, and the capability probe's chat calls come here too.
 */
final class ChatBackend {

    record Sample(String text, TokenUsage usage) {
    }

    /** One chat exchange of an attempt: the request, what it is for, the answer. */
    private interface Exchange {
        ChatResponse chat(ChatModel model, ChatRequest request, LlmOperation operation);
    }

    private final String backend;
    private final CallGuard guard;
    private final Supplier<ChatModel> model;
    private final Exchange exchange;

    /** Chat over llm-client's own transport. */
    ChatBackend(BackendConfig config, ApiKey apiKey, HttpTransport transport, CallGuard guard) {
        this(config, guard, () -> OpenAiChatModel.builder()
                .httpClientBuilder(new TransportHttpClient.Builder(transport))
                .baseUrl(config.baseUrl())
                .apiKey(apiKey.value().orElse(null))
                .modelName(config.model())
                .timeout(config.timeout())
                .maxRetries(0) // CallGuard retries, honouring Retry-After
                .logRequests(false)
                .logResponses(false)
                .build(), (model, request, operation) -> model.chat(request));
    }

    /** Chat through a model that {@code source} builds, with an HTTP client of its own. */
    ChatBackend(BackendConfig config, ApiKey apiKey, ObjectMapper json, CallGuard guard, ChatModelSource source) {
        this(config, guard, () -> source.create(config, apiKey.value()), new ForeignChatCalls(config, apiKey, json)::chat);
    }

    private ChatBackend(BackendConfig config, CallGuard guard, Supplier<ChatModel> create, Exchange exchange) {
        this.backend = config.name();
        this.guard = guard;
        // built at the first chat call: most backends are only ever called through completions
        this.model = memoized(create);
        this.exchange = exchange;
    }

    private static Supplier<ChatModel> memoized(Supplier<ChatModel> create) {
        return new Supplier<>() {
            private volatile ChatModel built;

            @Override
            public ChatModel get() {
                ChatModel m = built;
                if (m == null) {
                    synchronized (this) {
                        if (built == null) built = create.get();
                        m = built;
                    }
                }
                return m;
            }
        };
    }

    Sample sample(String prompt, double temperature, int maxTokens, List<String> stop, Integer seed) {
        long estimate = Batches.estimateTokens(prompt) + maxTokens;
        return guard.call(LlmOperation.GENERATE, estimate, () -> sampleOnce(prompt, temperature, maxTokens, stop, seed), Sample::usage);
    }

    FirstTokenTopK firstTokenTopK(String prompt, int k, LlmOperation operation) {
        long estimate = Batches.estimateTokens(prompt) + 1;
        return guard.call(operation, estimate, () -> firstTokenTopKOnce(prompt, k, operation), FirstTokenTopK::usage);
    }

    private Sample sampleOnce(String prompt, double temperature, int maxTokens, List<String> stop, Integer seed) {
        var parameters = OpenAiChatRequestParameters.builder()
                .temperature(temperature)
                .maxOutputTokens(maxTokens)
                .stopSequences(stop.isEmpty() ? null : stop)
                .seed(seed)
                .build();
        ChatResponse response = exchange.chat(model.get(),
                ChatRequest.builder().messages(UserMessage.from(prompt)).parameters(parameters).build(), LlmOperation.GENERATE);
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text == null) {
            throw LlmBackendException.badResponse(backend, LlmOperation.GENERATE, "the chat response has no text content");
        }
        return new Sample(text, usageOf(response));
    }

    private FirstTokenTopK firstTokenTopKOnce(String prompt, int k, LlmOperation operation) {
        var parameters = OpenAiChatRequestParameters.builder()
                .temperature(0.0)
                .maxOutputTokens(1)
                .logprobs(true)
                .topLogprobs(k)
                .build();
        ChatResponse response = exchange.chat(model.get(),
                ChatRequest.builder().messages(UserMessage.from(prompt)).parameters(parameters).build(), operation);
        List<LogProb> tokens = response.metadata() instanceof OpenAiChatResponseMetadata m ? m.logProbs() : null;
        if (tokens == null || tokens.isEmpty()) {
            throw LlmBackendException.badResponse(backend, operation, "the chat response carries no logprobs");
        }
        Map<String, Double> top = new LinkedHashMap<>();
        List<LogProb> alternatives = tokens.getFirst().topLogprobs();
        if (alternatives != null) {
            for (LogProb alt : alternatives) {
                if (alt.token() != null && alt.logprob() != null) top.merge(alt.token(), alt.logprob(), Math::max);
            }
        }
        return new FirstTokenTopK(top, usageOf(response));
    }

    private static TokenUsage usageOf(ChatResponse response) {
        var usage = response.metadata() == null ? null : response.metadata().tokenUsage();
        if (usage == null) return TokenUsage.NONE;
        return new TokenUsage(
                usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }
}
