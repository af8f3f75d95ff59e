package io.dln.simulator.latency;

import io.dln.simulator.config.SimulatorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The latency and capacity model: a request's service time is time to first token, plus prefill
 * per prompt token, plus decoding per generated token; it holds its capacity slots for that long.
 * Waiting is done with Vert.x timers, never by blocking a thread.
 */
// created at start, so that the capacity gauges exist from the first scrape
@Startup
@ApplicationScoped
public class Pacer {

    /** The most a time to first token may be set to while the simulator runs. */
    public static final Duration MAX_TTFT = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final SimulatorConfig.Latency latency;
    private final CapacityGate gate;
    private volatile Duration ttft;

    public Pacer(Vertx vertx, SimulatorConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.latency = config.latency();
        this.ttft = latency.ttft();
        this.gate = new CapacityGate(config.capacity().maxConcurrent(), config.capacity().maxQueue());
        Gauge.builder("simulator.capacity.in.use", gate, CapacityGate::inUse)
                .description("Sequence slots taken").register(registry);
        Gauge.builder("simulator.capacity.queued", gate, CapacityGate::queued)
                .description("Requests waiting for capacity").register(registry);
    }

    public CapacityGate gate() {
        return gate;
    }

    /** Time to first token of every request from now on. */
    public Duration ttft() {
        return ttft;
    }

    /**
     * Changes the time to first token while the simulator runs, so that a benchmark can warm its services up with many
     * fast calls and then measure them against a slow server.
     */
    public void setTtft(Duration ttft) {
        if (ttft.isNegative() || ttft.compareTo(MAX_TTFT) > 0) {
            throw new IllegalArgumentException("the time to first token is between 0 and " + MAX_TTFT.toMinutes() + " minutes, was " + ttft);
        }
        this.ttft = ttft;
    }

    public Duration serviceTime(int promptTokens, int completionTokens) {
        return ttft
                .plus(latency.perPromptToken().multipliedBy(promptTokens))
                .plus(latency.perToken().multipliedBy(completionTokens));
    }

    public Uni<Void> delay(Duration d) {
        if (d.isZero() || d.isNegative()) return Uni.createFrom().voidItem();
        // Vert.x timers count whole milliseconds: round to the nearest, but never down to no wait at all
        long ms = Math.max(1, (d.toNanos() + 500_000) / 1_000_000);
        return Uni.createFrom().emitter(e -> vertx.setTimer(ms, id -> e.complete(null)));
    }

    /** Waits for slots for {@code sequences}, holds them for {@code service}, then frees them. */
    public Uni<Void> occupy(int sequences, Duration service) {
        if (!gate.limited()) return delay(service);
        int slots = gate.slotsFor(sequences);
        return Uni.createFrom().completionStage(() -> gate.acquire(slots))
                .chain(start -> {
                    long due = start + service.toNanos();
                    return delay(Duration.ofNanos(due - System.nanoTime()))
                            .onTermination().invoke(() -> gate.release(slots, due));
                });
    }

    /**
     * A streamed answer's pacing: waits for slots for {@code sequences}, then time to first token and prefill, then
     * calls {@code step} for each of {@code steps} tokens, one per-token time apart, holding the slots throughout.
     * {@code step} returns false to stop early (the client left).
     */
    public Uni<Void> stream(int sequences, int promptTokens, int steps, java.util.function.IntPredicate step) {
        Duration first = ttft.plus(latency.perPromptToken().multipliedBy(promptTokens));
        if (!gate.limited()) return delay(first).chain(() -> steps(0, steps, step));
        int slots = gate.slotsFor(sequences);
        return Uni.createFrom().completionStage(() -> gate.acquire(slots))
                .chain(start -> delay(Duration.ofNanos(start + first.toNanos() - System.nanoTime()))
                        .chain(() -> steps(0, steps, step))
                        .onTermination().invoke(() -> gate.release(slots, System.nanoTime())));
    }

    private Uni<Void> steps(int i, int steps, java.util.function.IntPredicate step) {
        if (i >= steps || !step.test(i) || i == steps - 1) return Uni.createFrom().voidItem();
        return delay(latency.perToken()).chain(() -> steps(i + 1, steps, step));
    }
}
