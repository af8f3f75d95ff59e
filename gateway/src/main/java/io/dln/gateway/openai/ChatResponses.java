package io.dln.gateway.openai;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The OpenAI shapes the gateway answers with: a chat completion, its stream chunks, and model listings. */
public final class ChatResponses {

    private ChatResponses() {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             @JsonProperty("system_fingerprint") String systemFingerprint) {
    }

    public record Choice(int index, AssistantMessage message, @JsonProperty("finish_reason") String finishReason,
                         @Schema(type = SchemaType.OBJECT, nullable = true, description = "Always null: a DLN gives no token log-probabilities") Object logprobs) {
    }

    public record AssistantMessage(String role, String content, String refusal) {
    }

    @Schema(name = "CompletionUsage")
    public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                        @JsonProperty("completion_tokens") long completionTokens,
                        @JsonProperty("total_tokens") long totalTokens) {
    }

    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
    }

    public record ChunkChoice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason,
                              @Schema(type = SchemaType.OBJECT, nullable = true, description = "Always null") Object logprobs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    public record ModelList(String object, List<ModelEntry> data) {
    }

    public record ModelEntry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }
}
