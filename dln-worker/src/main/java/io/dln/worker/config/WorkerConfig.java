package io.dln.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How this worker consumes requests: {@code dln.worker.*}. */
@ConfigMapping(prefix = "dln.worker")
public interface WorkerConfig {

    /** Names this replica in every result; defaults to the host name (the pod name on Kubernetes) and pid. */
    Optional<String> id();

    /** Requests served at once; further records wait, unacknowledged, in the consumer. */
    @WithDefault("64")
    int maxConcurrency();

    /** How long a backend batch that is not full waits for others of the same backend and operation to share its call. */
    @WithDefault("2ms")
    Duration batchWindow();

    /** Calls per backend call; unset, the backend's max-prompts-per-call (1 when its probe found it takes no list). */
    Optional<Integer> maxBatch();

    /** How long shutdown waits for requests in progress to publish their results. */
    @WithDefault("20s")
    Duration shutdownGrace();
}
