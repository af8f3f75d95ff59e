package io.dln.gateway.openai;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.dln.gateway.common.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI chat completion request. A DLN uses the model and the last user message; the sampling parameters are
 * checked as the OpenAI API checks them (a client's mistake is refused, not ignored) although the trained DLN decides
 * how it samples. What a DLN cannot do (tools, several choices, JSON modes, token log-probabilities) is refused with
 * the parameter named. Fields not listed here are ignored, as new OpenAI parameters may be sent by client libraries.
 */
public record ChatRequest(
        @Schema(required = true, examples = "dln/sum-parity:prod") String model,
        @Schema(required = true)
        List<Message> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Integer n,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs,
        Long seed,
        @Schema(implementation = String[].class, description = "Up to 4 stop strings (a single string is taken too)") JsonNode stop,
        @Schema(implementation = Object[].class, description = "Refused unless empty: a DLN calls no tools") JsonNode tools,
        @Schema(implementation = String.class, description = "Only none or auto: a DLN calls no tools") @JsonProperty("tool_choice") JsonNode toolChoice,
        @Schema(implementation = ResponseFormat.class, description = "Only {\"type\": \"text\"}") @JsonProperty("response_format") JsonNode responseFormat,
        String user) {

    /** The largest context of today's open models; a larger value is a client's mistake whatever the model. */
    static final int MAX_TOKENS = 1_048_576;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** {@code content} is a string or a list of parts, of which the text parts count. */
    public record Message(@Schema(examples = "user", required = true) String role,
                          @Schema(implementation = String.class, description = "The message's text (a list of content parts, "
                                  + "of which the text parts count, is taken too)", examples = "Is 3 + 4 even or odd?") JsonNode content) {
    }

    /** Documents the one response format a DLN gives. */
    public record ResponseFormat(@Schema(enumeration = "text") String type) {
    }

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /** What OpenAI's API would refuse, or a DLN cannot do, one problem per parameter, in the order of the request. */
    List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        if (model == null || model.isBlank()) problems.add(FieldProblem.of("model", "missing"));
        if (messages == null || messages.isEmpty()) {
            problems.add(FieldProblem.of("messages", "must be a non-empty list of messages"));
        } else {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (m == null || m.role() == null || !ROLES.contains(m.role())) {
                    problems.add(FieldProblem.of("messages[" + i + "].role", "must be one of " + new java.util.TreeSet<>(ROLES)));
                } else if (m.content() != null && !m.content().isNull() && !m.content().isTextual() && !m.content().isArray()) {
                    problems.add(FieldProblem.of("messages[" + i + "].content", "must be a string or a list of content parts"));
                }
            }
        }
        if (n != null && n != 1) problems.add(FieldProblem.of("n", "a DLN gives one answer per input; n must be 1"));
        range(problems, "temperature", temperature, 0, 2);
        range(problems, "top_p", topP, 0, 1);
        range(problems, "presence_penalty", presencePenalty, -2, 2);
        range(problems, "frequency_penalty", frequencyPenalty, -2, 2);
        tokens(problems, "max_tokens", maxTokens);
        tokens(problems, "max_completion_tokens", maxCompletionTokens);
        if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > 20)) {
            problems.add(FieldProblem.of("top_logprobs", "must be from 0 to 20"));
        }
        if (Boolean.TRUE.equals(logprobs)) {
            problems.add(FieldProblem.of("logprobs", "a DLN's answer comes with no token log-probabilities; leave logprobs out"));
        }
        if (stop != null && !stop.isNull() && !stop.isTextual()
                && !(stop.isArray() && stop.size() <= 4 && allText(stop))) {
            problems.add(FieldProblem.of("stop", "must be a string or a list of at most 4 strings"));
        }
        if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
            problems.add(FieldProblem.of("tools", "a DLN calls no tools; leave tools out"));
        }
        if (toolChoice != null && !toolChoice.isNull() && !(toolChoice.isTextual() && Set.of("none", "auto").contains(toolChoice.asText()))) {
            problems.add(FieldProblem.of("tool_choice", "a DLN calls no tools; tool_choice may only be 'none' or 'auto'"));
        }
        if (responseFormat != null && !responseFormat.isNull()) {
            String type = responseFormat.path("type").asText("");
            if (!responseFormat.isObject() || !type.equals("text")) {
                problems.add(FieldProblem.of("response_format", "a DLN answers in text: response_format may only be {\"type\": \"text\"}"
                        + (type.isEmpty() ? "" : ", not '" + type + "'")));
            }
        }
        return problems;
    }

    private static void tokens(List<FieldProblem> problems, String field, Integer value) {
        if (value != null && (value < 1 || value > MAX_TOKENS)) {
            problems.add(FieldProblem.of(field, "must be from 1 to " + MAX_TOKENS + ", was " + value));
        }
    }

    private static void range(List<FieldProblem> problems, String field, Double value, double min, double max) {
        if (value != null && (value < min || value > max)) {
            problems.add(FieldProblem.of(field, "must be from " + fmt(min) + " to " + fmt(max) + ", was " + value));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) return false;
        }
        return true;
    }
}
