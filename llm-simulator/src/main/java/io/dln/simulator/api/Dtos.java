package io.dln.simulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.dln.simulator.world.ScoredToken;
import java.util.List;

/** Response bodies in OpenAI's shapes (snake_case on the wire). */
public final class Dtos {

    private Dtos() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Usage(int promptTokens, int completionTokens, int totalTokens) {
        public static Usage of(int prompt, int completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Completion(String id, String object, long created, String model, List<CompletionChoice> choices,
                             Usage usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CompletionChoice(int index, String text, LegacyLogprobs logprobs, String finishReason) {
    }

    /**
     * The completions API's logprobs, on the wire parallel lists (tokens, token_logprobs, top_logprobs, text_offset), one
     * entry per token: the echoed prompt's tokens, then the generated ones, whose offsets move by {@code generatedOffset}.
     */
    @JsonSerialize(using = LegacyLogprobsWriter.class)
    public record LegacyLogprobs(List<ScoredToken> echoed, List<ScoredToken> generated, int generatedOffset) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatCompletion(String id, String object, long created, String model, List<ChatChoice> choices,
                                 Usage usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatChoice(int index, ChatMessage message, ChatLogprobs logprobs, String finishReason) {
    }

    public record ChatMessage(String role, String content) {
    }

    public record ChatLogprobs(List<ChatToken> content) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatToken(String token, double logprob, List<Integer> bytes, List<TopToken> topLogprobs) {
    }

    public record TopToken(String token, double logprob, List<Integer> bytes) {
    }

    public record ModelList(String object, List<ModelCard> data) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelCard(String id, String object, long created, String ownedBy) {
    }

    /** A chunk of a streamed chat completion; {@code usage} only on the last one, when asked for. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatChunk(String id, String object, long created, String model, List<ChatChunkChoice> choices,
                            Usage usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChatChunkChoice(int index, Delta delta, ChatLogprobs logprobs, String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    /** A chunk of a streamed completion: the choices' new text. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CompletionChunk(String id, String object, long created, String model, List<CompletionChoice> choices,
                                  Usage usage) {
    }
}
