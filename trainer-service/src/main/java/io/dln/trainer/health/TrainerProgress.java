package io.dln.trainer.health;

import io.dln.trainer.bus.RequestBus;
import io.dln.trainer.bus.ResultsSlot;
import io.dln.trainer.config.TrainerConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether this trainer can make progress: its heap is not nearly exhausted (most of its time going to garbage
 * collection, or the old generation still full after a collection), no run's calls have gone without any answer for
 * longer than a bound, and it holds its results partition. Each condition turns bad at once and good again only after
 * it has been calm for the recovery period, so the answer does not flap. {@link TrainerReadiness} reports it; a
 * trainer that cannot make progress takes no new runs.
 */
@ApplicationScoped
public class TrainerProgress {

    private static final Logger LOG = Logger.getLogger(TrainerProgress.class);

    private final RequestBus bus;
    private final ResultsSlot slot;
    private final TrainerConfig.Readiness config;
    private final MemoryPressure memory;
    private final Hysteresis stall;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final MemoryPoolMXBean oldGeneration = oldGeneration();
    private volatile Set<String> stalledRuns = Set.of();

    public TrainerProgress(RequestBus bus, ResultsSlot slot, TrainerConfig config) {
        this.bus = bus;
        this.slot = slot;
        this.config = config.readiness();
        long calm = this.config.recovery().toNanos();
        this.memory = new MemoryPressure(this.config.window().toNanos(), this.config.gcShare(), this.config.heapAfterGc(), calm);
        this.stall = new Hysteresis(calm);
    }

    @Scheduled(every = "${dln.trainer.readiness.sample-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        long now = System.nanoTime();
        boolean wasPressed = memory.underPressure();
        boolean pressed = memory.observe(new MemoryPressure.Sample(now, gcNanos(), heapAfterGc()));
        Set<String> stalled = bus.stalledRuns(config.stallAfter());
        stalledRuns = stalled;
        boolean wasStalled = stall.bad();
        boolean isStalled = stall.observe(!stalled.isEmpty(), stalled.isEmpty(), now);
        if (pressed != wasPressed) {
            LOG.warnf("heap %s: %.0f%% of the time in GC, old generation %.0f%% full after GC", pressed ? "nearly exhausted" : "recovered",
                    100 * memory.gcShare(), 100 * memory.heapAfterGc());
        }
        if (isStalled != wasStalled) {
            LOG.warnf(isStalled ? "runs make no progress: %s" : "runs make progress again%s", isStalled ? String.join(", ", stalled) : "");
        }
    }

    /** Whether this trainer should take more runs: not while its heap is exhausted or its results go elsewhere. */
    public boolean acceptsRuns() {
        return heapOk() && slot.held();
    }

    boolean heapOk() {
        return !memory.underPressure();
    }

    boolean runsProgress() {
        return !stall.bad();
    }

    boolean holdsResults() {
        return slot.held();
    }

    int resultsPartition() {
        return slot.partition();
    }

    Set<String> stalledRuns() {
        return stalledRuns;
    }

    double gcShare() {
        return memory.gcShare();
    }

    double heapAfterGcShare() {
        return memory.heapAfterGc();
    }

    TrainerConfig.Readiness config() {
        return config;
    }

    private long gcNanos() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : collectors) millis += Math.max(0, collector.getCollectionTime());
        return millis * 1_000_000L;
    }

    private double heapAfterGc() {
        if (oldGeneration == null) return Double.NaN;
        MemoryUsage usage = oldGeneration.getCollectionUsage();
        return usage == null || usage.getMax() <= 0 ? Double.NaN : usage.getUsed() / (double) usage.getMax();
    }

    /** The heap pool long-lived objects end up in ("Tenured Gen", "G1 Old Gen", "PS Old Gen"...), whose use after GC tells. */
    private static MemoryPoolMXBean oldGeneration() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName().toLowerCase(Locale.ROOT);
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (name.contains("old") || name.contains("tenured"))) {
                return pool;
            }
        }
        return null;
    }
}
