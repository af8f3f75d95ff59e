package io.dln.backends.config;

import io.dln.llm.BackendKind;
import io.dln.llm.GenerationApi;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The LLM backends a service may call, by name: {@code dln.backends.<name>.<key>}. Requests name the backend
 * they want; a name missing here is a configuration mismatch between trainer and workers.
 */
@ConfigMapping(prefix = "dln")
public interface BackendsConfig {

    Map<String, Backend> backends();

    /** How backend health is judged from recent calls and periodic pings: {@code dln.backend-health.<key>}. */
    @WithName("backend-health")
    Health health();

    interface Health {

        /** How often every backend is pinged ({@code GET /models} with its key). */
        @WithDefault("30s")
        Duration probeInterval();

        /** Recent outcomes (calls and pings) remembered per backend. */
        @WithDefault("20")
        int window();

        /** Outcomes older than this are forgotten. */
        @WithDefault("5m")
        Duration maxAge();

        /** Outcomes needed before a backend may be judged degraded or down. */
        @WithDefault("5")
        int minOutcomes();

        @WithDefault("0.3")
        double degradedRatio();

        @WithDefault("0.8")
        double downRatio();

        /** Successes in a row that bring a degraded or down backend back up. */
        @WithDefault("3")
        int recoverySuccesses();
    }

    /** How this service runs its calls, whichever the backend: {@code dln.backend-calls.<key>}. */
    @WithName("backend-calls")
    Calls calls();

    interface Calls {

        /**
         * A virtual thread that asks a backend for an answer makes the HTTP call itself rather than handing it to a
         * thread of its own (the last call of a batch that needs several). For services whose callers wait for each
         * answer at once, as the gateway's requests do; not for workers that start several batches before waiting.
         */
        @WithDefault("false")
        boolean onCallingThread();
    }

    interface Backend {

        /** OPENAI_COMPATIBLE, OPENAI_CHAT or VLLM (case and dashes do not matter). */
        @WithDefault("OPENAI_COMPATIBLE")
        BackendKind kind();

        /** API root, e.g. {@code http://vllm:8000/v1}; a bare host gets {@code /v1} appended. */
        String baseUrl();

        String model();

        /** NAME of the environment variable that holds the API key; the key itself never goes into config. */
        Optional<String> apiKeyEnv();

        @WithDefault("8")
        int maxConcurrentRequests();

        /** 0 = unlimited. */
        @WithDefault("0")
        double requestsPerSecond();

        /** 0 = unlimited. */
        @WithDefault("0")
        long tokensPerMinute();

        /** Limit for one HTTP call. */
        @WithDefault("60s")
        Duration timeout();

        @WithDefault("3")
        int maxRetries();

        @WithDefault("16")
        int maxPromptsPerCall();

        /**
         * Sequences (prompts, or samples of a generation) the server runs at once for one worker replica: vLLM's
         * {@code --max-num-seqs} (256 by default) divided among the replicas that share it. A worker sends a batch only
         * when it fits this room, so no prompt of a batch queues at the server.
         */
        @WithDefault("256")
        int maxConcurrentSequences();

        /** COMPLETIONS or CHAT; unset picks what the kind supports best. */
        Optional<GenerationApi> generationApi();

        /** Capabilities declared here win over what the probe finds. */
        CapabilityOverrides capabilities();

        /**
         * Whether the LangChain4j extension logs this backend's chat requests and responses (they carry prompts, so off;
         * the key is masked either way).
         */
        @WithDefault("false")
        boolean logRequests();

        /** Probe the server once at start-up and log what it offers. */
        @WithDefault("true")
        boolean probeAtStart();

        /** Deadline of one attempt learnt from the backend's recent latencies ({@code timeout} is its ceiling). */
        AttemptDeadline attemptDeadline();

        /** Sending a slow attempt's request once more; the first answer wins. */
        Hedging hedging();
    }

    interface AttemptDeadline {

        /** Successful attempts of a kind (operation and size) to observe before the deadline and hedging adapt. */
        @WithDefault("5")
        int minSamples();

        /** Which quantile of recent latencies the deadline is a multiple of. */
        @WithDefault("0.99")
        double quantile();

        @WithDefault("3.0")
        double factor();

        /** The least an attempt is given, however fast the backend has been. */
        @WithDefault("2s")
        Duration floor();
    }

    interface Hedging {

        @WithDefault("true")
        boolean enabled();

        /** Which quantile of recent latencies the hedge point is a multiple of. */
        @WithDefault("0.95")
        double quantile();

        @WithDefault("1.5")
        double factor();

        /** The earliest an attempt is hedged. */
        @WithDefault("50ms")
        Duration floor();
    }

    interface CapabilityOverrides {

        Optional<Boolean> generation();

        /** log p(target | context) by echoed log-probabilities. */
        Optional<Boolean> echo();

        /** First-token top-k log-probabilities. */
        Optional<Boolean> topLogprobs();

        /** Largest k the server accepts; also the k asked for in class scoring. */
        Optional<Integer> maxTopLogprobs();
    }
}
