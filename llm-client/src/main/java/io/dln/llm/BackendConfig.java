package io.dln.llm;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named LLM backend.
 *
 * @param name                  how runs refer to this backend (letters, digits, '.', '_', '-')
 * @param kind                  which server it is; see {@link BackendKind}
 * @param baseUrl               the API root including its version, as OpenAI clients expect
 *                              ({@code http://host:8000/v1}); a bare {@code http://host:8000} gets {@code /v1} appended
 * @param model                 the model name sent with every call
 * @param apiKeyEnv             the name of the environment variable holding the key, or null for no key;
 *                              the key itself never goes into configuration
 * @param maxConcurrentRequests HTTP calls in flight at once
 * @param requestsPerSecond     call rate limit; 0 means unlimited
 * @param tokensPerMinute       token rate limit (prompt + completion, as the server reports them); 0 means unlimited
 * @param timeout               limit for one HTTP call, from sending to the whole body received
 * @param maxRetries            retries after the first attempt on 429, 5xx, timeouts and connection errors
 * @param maxPromptsPerCall     prompts sent as one list in a completions call; 1 for servers that take a single prompt
 * @param capabilityOverrides   capabilities that win over the probe
 * @param generationApi         endpoint for generation and top-k; null picks CHAT for OPENAI_CHAT, else COMPLETIONS
 */
public record BackendConfig(String name, BackendKind kind, String baseUrl, String model, String apiKeyEnv,
                            int maxConcurrentRequests, double requestsPerSecond, long tokensPerMinute,
                            Duration timeout, int maxRetries, int maxPromptsPerCall,
                            CapabilityOverrides capabilityOverrides, GenerationApi generationApi) {

    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_MAX_PROMPTS_PER_CALL = 16;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    public BackendConfig {
        capabilityOverrides = capabilityOverrides == null ? CapabilityOverrides.NONE : capabilityOverrides;
        if (generationApi == null && kind != null) {
            generationApi = kind == BackendKind.OPENAI_CHAT ? GenerationApi.CHAT : GenerationApi.COMPLETIONS;
        }
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name must be non-empty letters, digits, '.', '_' or '-'");
        }
        if (kind == null) problems.add("kind is missing (one of OPENAI_COMPATIBLE, OPENAI_CHAT, VLLM)");
        String normalisedUrl = normaliseBaseUrl(baseUrl, problems);
        if (model == null || model.isBlank()) problems.add("model is missing");
        if (apiKeyEnv != null && !ENV_VAR.matcher(apiKeyEnv).matches()) {
            // The value is not echoed: a misconfigured apiKeyEnv often holds the key itself.
            problems.add("apiKeyEnv must be the name of an environment variable (letters, digits, '_'), not the key itself");
        }
        if (maxConcurrentRequests < 1) problems.add("maxConcurrentRequests must be at least 1, was " + maxConcurrentRequests);
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            problems.add("requestsPerSecond must be 0 (unlimited) or positive, was " + requestsPerSecond);
        }
        if (tokensPerMinute < 0) problems.add("tokensPerMinute must be 0 (unlimited) or positive, was " + tokensPerMinute);
        if (timeout == null || timeout.isZero() || timeout.isNegative()) problems.add("timeout must be positive, was " + timeout);
        if (maxRetries < 0) problems.add("maxRetries must not be negative, was " + maxRetries);
        if (maxPromptsPerCall < 1) problems.add("maxPromptsPerCall must be at least 1, was " + maxPromptsPerCall);
        if (kind == BackendKind.OPENAI_CHAT && generationApi == GenerationApi.COMPLETIONS) {
            problems.add("generationApi COMPLETIONS is impossible for kind OPENAI_CHAT, which has no /v1/completions endpoint");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration of backend '" + name + "': " + String.join("; ", problems));
        }
        baseUrl = normalisedUrl;
    }

    /** An OPENAI_COMPATIBLE backend with no key, default limits and generation through completions. */
    public static BackendConfig of(String name, String baseUrl, String model) {
        return new BackendConfig(name, BackendKind.OPENAI_COMPATIBLE, baseUrl, model, null,
                DEFAULT_MAX_CONCURRENT_REQUESTS, 0, 0, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES,
                DEFAULT_MAX_PROMPTS_PER_CALL, CapabilityOverrides.NONE, null);
    }

    public BackendConfig withKind(BackendKind newKind) {
        // OPENAI_CHAT can only generate through chat; for other kinds the current choice stays
        GenerationApi api = newKind == BackendKind.OPENAI_CHAT ? GenerationApi.CHAT : generationApi;
        return new BackendConfig(name, newKind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, maxRetries, maxPromptsPerCall, capabilityOverrides, api);
    }

    public BackendConfig withApiKeyEnv(String envVariable) {
        return new BackendConfig(name, kind, baseUrl, model, envVariable, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, maxRetries, maxPromptsPerCall, capabilityOverrides, generationApi);
    }

    public BackendConfig withLimits(int concurrentRequests, double perSecond, long perMinuteTokens) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, concurrentRequests, perSecond,
                perMinuteTokens, timeout, maxRetries, maxPromptsPerCall, capabilityOverrides, generationApi);
    }

    public BackendConfig withTimeout(Duration callTimeout) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, callTimeout, maxRetries, maxPromptsPerCall, capabilityOverrides, generationApi);
    }

    public BackendConfig withMaxRetries(int retries) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, retries, maxPromptsPerCall, capabilityOverrides, generationApi);
    }

    public BackendConfig withMaxPromptsPerCall(int prompts) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, maxRetries, prompts, capabilityOverrides, generationApi);
    }

    public BackendConfig withCapabilityOverrides(CapabilityOverrides overrides) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, maxRetries, maxPromptsPerCall, overrides, generationApi);
    }

    public BackendConfig withGenerationApi(GenerationApi api) {
        return new BackendConfig(name, kind, baseUrl, model, apiKeyEnv, maxConcurrentRequests, requestsPerSecond,
                tokensPerMinute, timeout, maxRetries, maxPromptsPerCall, capabilityOverrides, Objects.requireNonNull(api));
    }

    /** {@code baseUrl} + "/" + path, e.g. {@code endpoint("completions")}. */
    public URI endpoint(String path) {
        return URI.create(baseUrl + "/" + path);
    }

    private static String normaliseBaseUrl(String url, List<String> problems) {
        if (url == null || url.isBlank()) {
            problems.add("baseUrl is missing");
            return url;
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            problems.add("baseUrl '" + url + "' is not a URL: " + e.getMessage());
            return url;
        }
        if (uri.getRawUserInfo() != null) {
            problems.add("baseUrl must not carry credentials; put the key in the variable named by apiKeyEnv");
            return url;
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            problems.add("baseUrl '" + url + "' must be an http(s) URL with a host, e.g. http://localhost:8000/v1");
            return url;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add("baseUrl '" + url + "' must not have a query or fragment");
            return url;
        }
        String normalised = uri.toString().replaceAll("/+$", "");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return path.isEmpty() ? normalised + "/v1" : normalised;
    }
}
