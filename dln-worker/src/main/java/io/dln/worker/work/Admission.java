package io.dln.worker.work;

import io.dln.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the requests served at once ({@code dln.worker.max-concurrency}) and lets shutdown drain them: once the
 * application stops, no new request is admitted (its record stays unacknowledged and is redelivered to another
 * replica) and shutdown waits up to {@code dln.worker.shutdown-grace} for admitted ones to publish their results.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final WorkerConfig config;
    private final Semaphore permits;
    private volatile boolean closing;

    @Inject
    public Admission(WorkerConfig config) {
        this.config = config;
        this.permits = new Semaphore(config.maxConcurrency(), true);
    }

    /** Waits for a free slot; false when the worker is shutting down or the thread was interrupted. */
    public boolean enter() {
        if (closing) return false;
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (closing) {
            permits.release();
            return false;
        }
        return true;
    }

    public void exit() {
        permits.release();
    }

    void drain(@Observes ShutdownEvent event) {
        closing = true;
        int all = config.maxConcurrency();
        try {
            if (permits.tryAcquire(all, config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                permits.release(all);
            } else {
                LOG.warnf("%d requests still in progress after %s; their records will be redelivered",
                        all - permits.availablePermits(), config.shutdownGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
