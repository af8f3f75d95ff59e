package io.dln.simulator.faults;

import io.dln.simulator.api.ApiException;
import io.dln.simulator.config.SimulatorConfig;
import io.dln.simulator.world.Draws;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which fault, if any, a request gets. The draw is a hash of the simulator's seed, the
 * request body and how many times that same body was seen before: a run of requests replays the same
 * faults, and a retry of a failed request gets a fresh draw instead of failing forever.
 */
// created at start, so that bad fault rates stop the simulator at once
@Startup
@ApplicationScoped
public class FaultInjector {

    public static final String RATES_HEADER = "X-Simulator-Faults";
    public static final String FORCE_HEADER = "X-Simulator-Fault";
    private static final int MAX_REMEMBERED = 200_000;

    private final long seed;
    private volatile FaultRates configured;
    private volatile int retryAfterSeconds;
    private final ConcurrentHashMap<Long, Integer> seen = new ConcurrentHashMap<>();

    public FaultInjector(SimulatorConfig config) {
        this.seed = config.seed();
        this.configured = FaultRates.of(config.faults());
        this.retryAfterSeconds = config.faults().retryAfter();
    }

    /** The headers of a refusal (429, 503): Retry-After with the configured seconds, or none when they are negative. */
    public Map<String, String> retryAfterHeaders() {
        int seconds = retryAfterSeconds;
        return seconds < 0 ? Map.of() : Map.of("Retry-After", Integer.toString(seconds));
    }

    /** The seconds of Retry-After, negative for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Replaces {@code simulator.faults.retry-after} while the simulator runs (negative: no header). */
    public void setRetryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
    }

    /** The rates requests get unless their header says otherwise. */
    public FaultRates rates() {
        return configured;
    }

    /** Replaces the configured rates while the simulator runs (benchmarks switch faults on and off). */
    public void setRates(FaultRates rates) {
        this.configured = rates;
    }

    public Fault decide(String body, String ratesHeader, String forceHeader) {
        if (forceHeader != null) {
            try {
                return Fault.named(forceHeader);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("Unknown fault '" + forceHeader + "' in " + FORCE_HEADER
                        + "; use 429, 500, 503, hang, slow, truncated or none.", null);
            }
        }
        FaultRates rates = configured;
        if (ratesHeader != null) {
            try {
                rates = FaultRates.parse(ratesHeader, configured);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("Bad " + RATES_HEADER + " header: " + e.getMessage() + ".", null);
            }
        }
        if (!rates.any()) return Fault.NONE;
        long key = Draws.hash(seed, "fault-body", body);
        if (seen.size() > MAX_REMEMBERED) seen.clear();
        int occurrence = seen.merge(key, 1, Integer::sum) - 1;
        double u = Draws.unit(Draws.hash(seed, key, "fault"), Integer.toString(occurrence));
        return rates.pick(u);
    }
}
