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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /*
     * The meters each record touches, made on first use per tag combination and kept: building and registering them
     * for every record cost a meter id, its tags sorted and a registry lookup each time, for the same few meters.
     */
    private final Map<Operation, DistributionSummary> calls = new ConcurrentHashMap<>();
    private final Map<Outcome, Published> published = new ConcurrentHashMap<>();

    private record Outcome(Operation operation, LlmResult.Status status) {
    }

    private record Published(Counter results, Timer processing) {
    }

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
        this.calls.computeIfAbsent(operation, op -> DistributionSummary.builder("dln.worker.request.calls")
                .description("Calls carried by one request message served").tag("operation", tag(op)).register(registry)).record(calls);
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
        Published meters = published.computeIfAbsent(new Outcome(operation, status), this::publishedMeters);
        meters.results().increment();
        meters.processing().record(sinceReceipt);
    }

    private Published publishedMeters(Outcome outcome) {
        String operationTag = tag(outcome.operation());
        String statusTag = outcome.status().name().toLowerCase(Locale.ROOT);
        return new Published(
                Counter.builder("dln.worker.results").description("Results published")
                        .tags("operation", operationTag, "status", statusTag).register(registry),
                Timer.builder("dln.worker.processing").description("From receipt of a request to its result on the broker")
                        .tags("operation", operationTag, "status", statusTag)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(2))
                        .register(registry));
    }

    private static String tag(Operation operation) {
        return operation.name().toLowerCase(Locale.ROOT);
    }
}
