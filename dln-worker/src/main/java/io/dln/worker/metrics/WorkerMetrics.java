package io.dln.worker.metrics;

import io.dln.messages.LlmResult;
import io.dln.messages.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Locale;

/**
 * The worker's own meters: {@code dln.worker.consumed}, {@code dln.worker.dead.lettered} (tag reason),
 * {@code dln.worker.expired}, {@code dln.worker.results}, the summary {@code dln.worker.request.calls} (calls per
 * message served, tag operation) and the timer {@code dln.worker.processing}
 * (tags operation, status), which runs from receipt of a record to its result being on the broker.
 */
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final Counter consumed;

    @Inject
    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.consumed = Counter.builder("dln.worker.consumed").description("Request records consumed").register(registry);
    }

    public void consumed() {
        consumed.increment();
    }

    /** Calls one request message carried: how well the trainer's batches survive the path to the worker. */
    public void served(Operation operation, int calls) {
        DistributionSummary.builder("dln.worker.request.calls").description("Calls carried by one request message served")
                .tag("operation", tag(operation)).register(registry).record(calls);
    }

    public void deadLettered(String reason) {
        Counter.builder("dln.worker.dead.lettered").description("Requests sent to the dead-letter topic")
                .tag("reason", reason).register(registry).increment();
    }

    public void expired(Operation operation) {
        Counter.builder("dln.worker.expired").description("Requests dropped because their deadline had passed")
                .tag("operation", tag(operation)).register(registry).increment();
    }

    public void published(Operation operation, LlmResult.Status status, Duration sinceReceipt) {
        String statusTag = status.name().toLowerCase(Locale.ROOT);
        Counter.builder("dln.worker.results").description("Results published")
                .tags("operation", tag(operation), "status", statusTag).register(registry).increment();
        Timer.builder("dln.worker.processing").description("From receipt of a request to its result on the broker")
                .tags("operation", tag(operation), "status", statusTag)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(sinceReceipt);
    }

    private static String tag(Operation operation) {
        return operation.name().toLowerCase(Locale.ROOT);
    }
}
