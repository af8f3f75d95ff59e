package io.dln.simulator.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and validates request bodies, refusing bad ones with the message and param OpenAI would give. */
@ApplicationScoped
public class RequestReader {

    private final ObjectMapper mapper;
    private final SimulatorConfig config;

    public RequestReader(ObjectMapper mapper, SimulatorConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    public CompletionParams completion(String body) {
        JsonNode root = parse(body);
        boolean stream = stream(root);
        JsonNode prompt = root.get("prompt");
        List<String> prompts = new ArrayList<>();
        if (prompt == null || prompt.isNull()) throw ApiException.invalid("'prompt' is required.", "prompt");
        if (prompt.isTextual()) {
            prompts.add(prompt.asText());
        } else if (prompt.isArray()) {
            if (prompt.isEmpty()) throw ApiException.invalid("'prompt' must not be an empty list.", "prompt");
            for (JsonNode p : prompt) {
                if (!p.isTextual()) {
                    throw ApiException.invalid("'prompt' must be a string or a list of strings; token-id prompts"
                            + " are not supported by the simulator.", "prompt");
                }
                prompts.add(p.asText());
            }
        } else {
            throw ApiException.invalid("'prompt' must be a string or a list of strings.", "prompt");
        }
        Integer logprobs = null;
        JsonNode lp = root.get("logprobs");
        if (lp != null && !lp.isNull()) {
            if (!lp.isIntegralNumber()) throw ApiException.invalid("'logprobs' must be an integer.", "logprobs");
            logprobs = lp.asInt();
            if (logprobs < 0 || logprobs > config.maxLogprobs()) {
                throw ApiException.invalid("'logprobs' must be between 0 and " + config.maxLogprobs() + ", got "
                        + logprobs + ".", "logprobs");
            }
        }
        notWhileStreaming(stream, logprobs != null, "logprobs");
        return new CompletionParams(model(root), List.copyOf(prompts), n(root), temperature(root),
                integer(root, "max_tokens", config.defaultCompletionTokens(), 0, Integer.MAX_VALUE),
                stop(root), seed(root), logprobs, bool(root, "echo"), logitBias(root),
                stream, streamUsage(root, stream));
    }

    /** OpenAI's logit_bias: an object of token ids (as strings) to biases in [-100, 100]. */
    private static Map<Integer, Double> logitBias(JsonNode root) {
        JsonNode bias = root.get("logit_bias");
        if (bias == null || bias.isNull()) return Map.of();
        if (!bias.isObject()) throw ApiException.invalid("'logit_bias' must be an object of token ids to biases.", "logit_bias");
        Map<Integer, Double> parsed = new LinkedHashMap<>();
        for (var it = bias.fields(); it.hasNext(); ) {
            var entry = it.next();
            int id;
            try {
                id = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("'logit_bias' keys must be token ids, got '" + entry.getKey() + "'.", "logit_bias");
            }
            JsonNode value = entry.getValue();
            if (!value.isNumber() || value.asDouble() < -100 || value.asDouble() > 100) {
                throw ApiException.invalid("'logit_bias' values must be numbers between -100 and 100.", "logit_bias");
            }
            parsed.put(id, value.asDouble());
        }
        return parsed;
    }

    /** A /tokenize body (vLLM's shape): the text to tokenize. */
    public String tokenize(String body) {
        JsonNode root = parse(body);
        JsonNode prompt = root.get("prompt");
        if (prompt == null || !prompt.isTextual()) throw ApiException.invalid("'prompt' must be a string.", "prompt");
        return prompt.asText();
    }

    public ChatParams chat(String body) {
        JsonNode root = parse(body);
        boolean stream = stream(root);
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) throw ApiException.invalid("'messages' is required.", "messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("'messages' must be a non-empty list.", "messages");
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiException.invalid("each message needs a string 'role'.", "messages");
            }
            parts.add(content(m.get("content")));
        }
        boolean logprobs = bool(root, "logprobs");
        notWhileStreaming(stream, logprobs, "logprobs");
        int top = integer(root, "top_logprobs", 0, 0, config.maxLogprobs());
        if (top > 0 && !logprobs) {
            throw ApiException.invalid("'top_logprobs' needs 'logprobs' set to true.", "top_logprobs");
        }
        String limit = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = integer(root, limit, config.defaultChatTokens(), 0, Integer.MAX_VALUE);
        // the DLN templates arrive as one user message; several messages read as one text
        return new ChatParams(model(root), String.join("\n\n", parts), parts.size(), n(root), temperature(root),
                maxTokens, stop(root), seed(root), logprobs, top, stream, streamUsage(root, stream));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) throw ApiException.invalid("The request body is empty; send a JSON object.", null);
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid("The request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (root == null || !root.isObject()) throw ApiException.invalid("The request body must be a JSON object.", null);
        return root;
    }

    private static boolean stream(JsonNode root) {
        return bool(root, "stream");
    }

    /** OpenAI's stream_options: only with stream; include_usage adds a last chunk with the usage. */
    private static boolean streamUsage(JsonNode root, boolean stream) {
        JsonNode options = root.get("stream_options");
        if (options == null || options.isNull()) return false;
        if (!stream) throw ApiException.invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        if (!options.isObject()) throw ApiException.invalid("'stream_options' must be an object.", "stream_options");
        return bool(options, "include_usage");
    }

    /** Streamed answers carry no log-probabilities here: DLN scoring never streams. */
    private static void notWhileStreaming(boolean stream, boolean asked, String name) {
        if (stream && asked) {
            throw ApiException.invalid("'" + name + "' is not simulated with 'stream': true; send one or the other.", name);
        }
    }

    private String model(JsonNode root) {
        JsonNode m = root.get("model");
        if (m == null || m.isNull()) return config.model();
        if (!m.isTextual()) throw ApiException.invalid("'model' must be a string.", "model");
        return m.asText();
    }

    private int n(JsonNode root) {
        return integer(root, "n", 1, 1, config.maxN());
    }

    private static double temperature(JsonNode root) {
        JsonNode t = root.get("temperature");
        if (t == null || t.isNull()) return 1.0;
        if (!t.isNumber()) throw ApiException.invalid("'temperature' must be a number.", "temperature");
        double value = t.asDouble();
        if (!(value >= 0 && value <= 2)) {
            throw ApiException.invalid("'temperature' must be between 0 and 2, got " + value + ".", "temperature");
        }
        return value;
    }

    private static int integer(JsonNode root, String name, int fallback, int min, int max) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw ApiException.invalid("'" + name + "' must be an integer.", name);
        int value = v.asInt();
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            throw ApiException.invalid("'" + name + "' must be " + range + ", got " + value + ".", name);
        }
        return value;
    }

    private static boolean bool(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw ApiException.invalid("'" + name + "' must be a boolean.", name);
        return v.asBoolean();
    }

    private static Long seed(JsonNode root) {
        JsonNode v = root.get("seed");
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw ApiException.invalid("'seed' must be an integer.", "seed");
        return v.asLong();
    }

    private static List<String> stop(JsonNode root) {
        JsonNode v = root.get("stop");
        if (v == null || v.isNull()) return List.of();
        if (v.isTextual()) return List.of(v.asText());
        if (v.isArray()) {
            List<String> stops = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isTextual()) throw ApiException.invalid("'stop' must be a string or a list of strings.", "stop");
                stops.add(s.asText());
            }
            return List.copyOf(stops);
        }
        throw ApiException.invalid("'stop' must be a string or a list of strings.", "stop");
    }

    private static String content(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText("text").equals("text")) sb.append(part.path("text").asText(""));
            }
            return sb.toString();
        }
        throw ApiException.invalid("a message's 'content' must be a string or a list of text parts.", "messages");
    }
}
