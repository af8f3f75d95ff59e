package io.dln.gateway.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything the gateway itself reads from configuration ({@code dln.gateway.*}); LLM backends live under {@code dln.backends}. */
@ConfigMapping(prefix = "dln.gateway")
public interface GatewayConfig {

    Security security();

    RateLimit rateLimit();

    Limits limits();

    Datasets datasets();

    Events events();

    Inference inference();

    interface Security {

        /**
         * The operator's admin key, usually from the environment (DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY).
         * Only its hash is kept in memory; it can create keys for any tenant.
         */
        Optional<String> bootstrapAdminKey();

        /** The tenant whose data the bootstrap key sees. */
        @WithDefault("default")
        String bootstrapTenant();

        /** How long a looked-up key is trusted before it is read again (a revocation elsewhere takes this long). */
        @WithDefault("30s")
        Duration keyCacheTtl();
    }

    /** Per-key token bucket; a key's own limits, set at its creation, win. */
    interface RateLimit {

        @WithDefault("20")
        double requestsPerSecond();

        @WithDefault("40")
        int burst();
    }

    interface Limits {

        /** Largest JSON request body: refused by its declared length, or counted as it is read when it declares none. */
        @WithDefault("1M")
        MemorySize maxRequestSize();

        /** Largest data set upload, counted while it streams in. */
        @WithDefault("32M")
        MemorySize maxUploadSize();

        /** Inputs in one predict call. */
        @WithDefault("64")
        int maxInputs();

        @WithDefault("100")
        int maxPageSize();

        /** LLM calls one training step of a run may make (an upper bound estimated from its settings); see StepCost. */
        @WithDefault("100000")
        long maxCallsPerStep();

        /**
         * Memory the prompts of one step's calls may hold (estimated from the settings); half a trainer's heap, which
         * refuses the same run again with its own heap's figure.
         */
        @WithDefault("128M")
        MemorySize maxStepMemory();
    }

    interface Datasets {

        /** Problems listed in one rejection; counting goes on past it. */
        @WithDefault("50")
        int maxProblems();

        @WithDefault("200000")
        int maxExamples();
    }

    interface Inference {

        /**
         * How long the version an alias (or "latest", or the default) points at is used before it is read again, in the
         * background. A move made through this instance takes effect at once; one made elsewhere, or a new trained
         * version, within this plus one request.
         */
        @WithDefault("1s")
        Duration resolveCacheTtl();
    }

    interface Events {

        @WithDefault("dln.run.events")
        String topic();

        @WithDefault("dln.run.commands")
        String commandsTopic();

        /** A comment line sent to idle SSE clients, so proxies keep the stream and dead clients are noticed. */
        @WithDefault("15s")
        Duration heartbeat();
    }
}
