package io.dln.trainer.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "dln.trainer")
public interface TrainerConfig {

    /** How this trainer names itself in leases; defaults to host name and process id. */
    Optional<String> instanceId();

    /** Only runs of these tenants are trained here; empty (the default) trains every tenant's runs. */
    Optional<java.util.List<String>> tenants();

    /** Runs this trainer trains at once. */
    @WithDefault("2")
    int maxActiveRuns();

    /** How long a run's lease lasts without renewal; a dead trainer's runs are taken over after it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How often the trainer looks for runs to take (at least 1 s). */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often the leases of the runs trained here are renewed; well below the lease duration. */
    @WithDefault("3s")
    Duration leaseRenewal();

    /** How often the lease of this trainer's results partition is renewed. */
    @WithDefault("5s")
    Duration slotRenewal();

    /** A request without a result after this long is sent again. */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * LLM calls one request message carries at most ({@link io.dln.messages.LlmRequest#MAX_BATCH} at most): the calls of
     * a step that go to one partition travel in as few messages as this allows.
     */
    @WithDefault("64")
    @io.smallrye.config.WithName("max-calls-per-message")
    int maxCallsPerMessage();

    /** Sends of one request before the run fails. */
    @WithDefault("5")
    int maxAttempts();

    /** Partitions of the results topic; each trainer reads one of them. */
    @WithDefault("6")
    int resultsPartitions();

    /** When readiness reports that this trainer cannot make progress. */
    Readiness readiness();

    interface Readiness {
        /** A run whose calls have been outstanding this long without a single answer is stalled. */
        @WithDefault("3m")
        Duration stallAfter();

        /** Share of wall time spent in garbage collection, over the window, at which the heap counts as exhausted. */
        @WithDefault("0.5")
        double gcShare();

        /** Old-generation use right after a collection (0..1) at which the heap counts as exhausted. */
        @WithDefault("0.95")
        double heapAfterGc();

        /** The sliding window the GC share is measured over. */
        @WithDefault("30s")
        Duration window();

        /** How long a condition must stay calm before readiness is UP again. */
        @WithDefault("30s")
        Duration recovery();

        /** How often the heap and the runs' progress are looked at. */
        @WithDefault("2s")
        Duration sampleInterval();
    }

    /** LLM calls one training step may make; a run whose step could make more is refused before it starts. */
    @WithDefault("100000")
    long maxCallsPerStep();

    /** Memory the prompts of one step's calls may hold; unset, half the trainer's heap. */
    Optional<MemorySize> maxStepMemory();

    /** What each backend can do, as the run's capability check needs it: backend name to capability list. */
    Map<String, BackendCapabilities> backends();

    interface BackendCapabilities {
        @WithDefault("true")
        boolean generation();

        @WithDefault("true")
        boolean echoLogprobs();

        @WithDefault("true")
        boolean topLogprobs();

        @WithDefault("20")
        int maxTopLogprobs();

        /** Whether the workers' client can bias generation to chosen tokens (logit_bias, ids from the server's /tokenize). */
        @WithDefault("false")
        boolean logitBias();
    }
}
