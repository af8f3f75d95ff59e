package io.dln.llm;

import dev.langchain4j.data.message.UserMessage;
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

/**
 * Chat calls through LangChain4j's OpenAI chat model: one user message per prompt, one sample per call.
 * <p>
 * Not yet through the Quarkus extension (issue 15.1, open): its chat models are configured as named models
 * ({@code quarkus.langchain4j.openai.<name>.*}) whose names its build step collects, while {@code dln.backends.<name>} is
 * run-time configuration; and with quarkus-langchain4j-openai (1.10.0) on the class path, {@code OpenAiChatModel.builder()}
 * is served by its {@code QuarkusOpenAiChatModelBuilderFactory}, whose HTTP goes through the extension's client rather than
 * {@link TransportHttpClient}, so attempt deadlines, hedging, Retry-After and key scrubbing would have to move with it.
 */
final class ChatBackend {

    record Sample(String text, TokenUsage usage) {
    }

    private final String backend;
    private final CallGuard guard;
    private final OpenAiChatModel model;

    ChatBackend(BackendConfig config, ApiKey apiKey, HttpTransport transport, CallGuard guard) {
        this.backend = config.name();
        this.guard = guard;
        this.model = OpenAiChatModel.builder()
                .httpClientBuilder(new TransportHttpClient.Builder(transport))
                .baseUrl(config.baseUrl())
                .apiKey(apiKey.value().orElse(null))
                .modelName(config.model())
                .timeout(config.timeout())
                .maxRetries(0) // CallGuard retries, honouring Retry-After
                .logRequests(false)
                .logResponses(false)
                .build();
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
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).parameters(parameters).build());
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
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).parameters(parameters).build());
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
