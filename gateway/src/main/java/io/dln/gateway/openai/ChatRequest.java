package io.dln.gateway.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The part of an OpenAI chat completion request a DLN uses; other fields (temperature, tools, ...) are ignored. */
public record ChatRequest(String model, List<Message> messages, Boolean stream, Integer n,
                          @JsonProperty("stream_options") StreamOptions streamOptions) {

    /** {@code content} is a string or a list of parts, of which the text parts count. */
    public record Message(String role, JsonNode content) {
    }

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }
}
