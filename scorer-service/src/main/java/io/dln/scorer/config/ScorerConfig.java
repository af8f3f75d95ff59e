package io.dln.scorer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


/** Caching of score results: {@code dln.scorer.*} (batching is the worker's: {@code dln.worker.batch-window}, {@code max-batch}). */
@ConfigMapping(prefix = "dln.scorer")
public interface ScorerConfig {

    /** Results kept, least recently used dropped first; 0 turns the cache off. */
    @WithDefault("10000")
    int cacheSize();

}
