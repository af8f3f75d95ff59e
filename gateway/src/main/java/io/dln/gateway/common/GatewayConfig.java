package io.dln.gateway.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Everything the gateway itself reads from configuration ({@code dln.gateway.*}); LLM backends live under {@code dln.backends}. */
@ConfigMapping(prefix = "dln.gateway")
public interface GatewayConfig {

    Security security();

    RateLimit rateLimit();

    Limits limits();

    Datasets datasets();

    Events events();

    Inference inference();

    /** The ceilings of every tenant that {@link #tenants()} does not name, and of what a named one leaves unset. */
    TenantDefaults tenantDefaults();

    /** Per-tenant ceilings set by the operator: {@code dln.gateway.tenants.<tenant>.max-keys} and so on. */
    Map<String, TenantCeilings> tenants();

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

        /**
         * Failed authentications allowed per client address (a token bucket): past them the address gets 429 without
         * its keys being looked up, so guessing keys costs no database reads.
         */
        FailedAuthentication failedAuthentication();

        /** How an OIDC token names its tenant (when quarkus.oidc.tenant-enabled=true). */
        Oidc oidc();
    }

    interface FailedAuthentication {

        @WithDefault("2")
        double perSecond();

        @WithDefault("20")
        int burst();
    }

    interface Oidc {

        /** The claim that holds the caller's tenant. */
        @WithDefault("tenant")
        String tenantClaim();

        /** The tenant of tokens without that claim; without it such tokens are refused. */
        Optional<String> defaultTenant();
    }

    interface TenantDefaults {

        /** Active keys per tenant. */
        @WithDefault("100")
        int maxKeys();

        /** Requests per second of all the tenant's callers together; also the most any one key may be given. */
        @WithDefault("200")
        double maxRequestsPerSecond();

        /** The largest burst a key may be given. */
        @WithDefault("400")
        int maxBurst();

        /** Runs queued or running at once. */
        @WithDefault("4")
        int maxConcurrentRuns();

        /**
         * Tokens per day (UTC): what inference used plus the token budgets granted to runs started or resumed that day.
         * 0: no ceiling.
         */
        @WithDefault("0")
        long maxTokensPerDay();

        /** The LLM backends a tenant may use; unset: all configured ones. */
        Optional<List<String>> backends();
    }

    interface TenantCeilings {

        OptionalInt maxKeys();

        OptionalDouble maxRequestsPerSecond();

        OptionalInt maxBurst();

        OptionalInt maxConcurrentRuns();

        OptionalLong maxTokensPerDay();

        Optional<List<String>> backends();
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

        /** The highest page number a listing accepts (pages count from 0). */
        @WithDefault("100000")
        int maxPage();

        /**
         * What the bodies of all requests in flight may hold together: each body reserves its declared length (the
         * size limit when it declares none) until its request ends; a body that does not fit is refused with 503.
         */
        @WithDefault("48M")
        MemorySize bodyBudget();

        /** How long a JSON body may take to arrive, from the request's headers to its last byte (408 after). */
        @WithDefault("10s")
        Duration bodyTimeout();

        /** The same for a data set upload. */
        @WithDefault("5m")
        Duration uploadTimeout();

        /**
         * Longest request target (path and query) in bytes, answered 414 in JSON; the HTTP server's own ceiling
         * ({@code quarkus.http.limits.max-initial-line-length}) must stay above it, or its empty 414 answers first.
         */
        @WithDefault("4096")
        int maxUrlLength();

        /**
         * What all request headers may take together (names, values and their separators), answered 431 in JSON; the
         * HTTP server's own ceiling ({@code quarkus.http.limits.max-header-size}) must stay above it.
         */
        @WithDefault("20K")
        MemorySize maxHeaderSize();
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

        /** A comment line sent to idle SSE clients, so proxies keep the stream and dead clients are noticed. */
        @WithDefault("15s")
        Duration heartbeat();
    }
}
