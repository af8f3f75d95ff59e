package io.dln.scorer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Batching and caching of score requests: {@code dln.scorer.*}. */
@ConfigMapping(prefix = "dln.scorer")
public interface ScorerConfig {

    /** Results kept, least recently used dropped first; 0 turns the cache off. */
    @WithDefault("10000")
    int cacheSize();

    /** How long the first request of a batch waits for others of the same backend and operation. */
    @WithDefault("2ms")
    Duration batchWindow();

    /** Requests per batch; defaults to the backend's max-prompts-per-call, the prompts one HTTP call carries. */
    Optional<Integer> maxBatch();
}
