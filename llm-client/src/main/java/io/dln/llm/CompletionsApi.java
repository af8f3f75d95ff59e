package io.dln.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dln.core.lm.TokenUsage;

import java.util.List;
import java.util.Map;

/** The wire shape of OpenAI's legacy {@code POST /v1/completions}, as far as this client uses it. */
final class CompletionsApi {

    private CompletionsApi() {
    }

    /** {@code prompt} is a single string or a list of strings; several prompts share all other settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String model, Object prompt, @JsonProperty("max_tokens") int maxTokens, Double temperature,
                   Integer n, List<String> stop, Long seed, Integer logprobs, Boolean echo,
                   @JsonProperty("logit_bias") Map<String, Integer> logitBias) {

        Request {
            stop = stop == null || stop.isEmpty() ? null : List.copyOf(stop);
            logitBias = logitBias == null || logitBias.isEmpty() ? null : Map.copyOf(logitBias);
        }

        Request(String model, Object prompt, int maxTokens, Double temperature, Integer n, List<String> stop, Long seed,
                Integer logprobs, Boolean echo) {
            this(model, prompt, maxTokens, temperature, n, stop, seed, logprobs, echo, null);
        }

        static Object prompts(List<String> prompts) {
            return prompts.size() == 1 ? prompts.getFirst() : List.copyOf(prompts);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Response(List<Choice> choices, Usage usage) {

        Response {
            choices = choices == null ? List.of() : choices;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Choice(String text, Integer index, Logprobs logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** Per token: its text, its log-probability (null for a prompt's first token), the top alternatives, its offset. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Logprobs(List<String> tokens,
                    @JsonProperty("token_logprobs") List<Double> tokenLogprobs,
                    @JsonProperty("top_logprobs") List<Map<String, Double>> topLogprobs,
                    @JsonProperty("text_offset") List<Integer> textOffset) {

        Logprobs {
            tokens = tokens == null ? List.of() : tokens;
            tokenLogprobs = tokenLogprobs == null ? List.of() : tokenLogprobs;
            topLogprobs = topLogprobs == null ? List.of() : topLogprobs;
            textOffset = textOffset == null ? List.of() : textOffset;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                 @JsonProperty("completion_tokens") long completionTokens) {

        TokenUsage toTokenUsage() {
            return new TokenUsage(promptTokens, completionTokens);
        }
    }
}
