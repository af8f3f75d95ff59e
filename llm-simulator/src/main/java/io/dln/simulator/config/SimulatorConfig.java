package io.dln.simulator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Everything the simulator can be told at start, under the prefix {@code simulator}. */
@ConfigMapping(prefix = "simulator")
public interface SimulatorConfig {

    /** Seed of every draw the simulator makes; same seed and same request, same response. */
    @WithDefault("42")
    long seed();

    /** The model name reported by /v1/models and in responses when a request names none. */
    @WithDefault("dln-simulator")
    String model();

    /** When set, requests to /v1/* must carry "Authorization: Bearer <key>". */
    Optional<String> apiKey();

    /** Largest k accepted for completion logprobs and chat top_logprobs (vLLM's --max-logprobs). */
    @WithDefault("20")
    int maxLogprobs();

    /** Largest n accepted. */
    @WithDefault("128")
    int maxN();

    /** max_tokens of a completion request that gives none (OpenAI and vLLM use 16). */
    @WithDefault("16")
    int defaultCompletionTokens();

    /** max_tokens of a chat request that gives none. */
    @WithDefault("4096")
    int defaultChatTokens();

    Latency latency();

    Capacity capacity();

    Faults faults();

    World world();

    interface Latency {
        /** Time to first token of every request. */
        @WithDefault("0s")
        Duration ttft();

        /** Time per generated token (the longest choice of a request counts). */
        @WithDefault("0s")
        Duration perToken();

        /** Time per prompt token (prefill). */
        @WithDefault("0s")
        Duration perPromptToken();
    }

    interface Capacity {
        /** Sequences served at once (prompts x n of a request, capped at this); beyond it requests queue. 0 = no limit. */
        @WithDefault("0")
        int maxConcurrent();

        /** Requests allowed to wait for capacity; beyond it the simulator answers 503. 0 = no limit. */
        @WithDefault("0")
        int maxQueue();
    }

    interface Faults {
        @WithName("rate-429")
        @WithDefault("0")
        double rate429();

        @WithName("rate-500")
        @WithDefault("0")
        double rate500();

        @WithName("rate-503")
        @WithDefault("0")
        double rate503();

        /** Requests answered only after {@link #hangDelay()}, beyond any sensible client timeout. */
        @WithDefault("0")
        double rateHang();

        /** Requests answered after an extra {@link #slowDelay()}. */
        @WithDefault("0")
        double rateSlow();

        /** Requests answered 200 with a JSON body cut in half. */
        @WithDefault("0")
        double rateTruncated();

        /**
         * Seconds sent in the Retry-After header of 429 and 503 answers; 0 sends {@code Retry-After: 0}, a negative value
         * sends no Retry-After at all (a server that refuses without saying how long).
         */
        @WithDefault("1")
        int retryAfter();

        @WithDefault("60s")
        Duration hangDelay();

        @WithDefault("2s")
        Duration slowDelay();
    }

    /** How the simulated model's skill responds to prompts. */
    interface World {
        /** Highest accuracy a one-layer answer reaches, however good its instruction. */
        @WithDefault("0.78")
        double oneLayerCap();

        /** Highest chance an analysis states the right intermediate result. */
        @WithDefault("0.95")
        double analysisCap();

        /** Accuracy of an answer whose input holds an analysis with the right intermediate result. */
        @WithDefault("0.93")
        double rightAnalysisAccuracy();

        /** Accuracy of an answer whose input holds an analysis with a wrong intermediate result. */
        @WithDefault("0.15")
        double wrongAnalysisAccuracy();

        /** How sharply per-example confidence turns around the prompt's accuracy (slope of a logistic). */
        @WithDefault("8")
        double sharpness();

        /** How much two wordings of a prompt with the same insights may differ on one example (0..1). */
        @WithDefault("0.1")
        double promptJitter();
    }
}
