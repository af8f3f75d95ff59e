package io.dln.trainer.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The headers of a request record: the W3C {@code traceparent} (and {@code tracestate}) of the step that asks, so
 * the worker's consume span and its backend calls join the step's trace. The trainer publishes with a raw producer,
 * which no extension instruments; the workers' Reactive Messaging connector reads these headers itself.
 */
@ApplicationScoped
public class RequestTraceHeaders {

    private final StepTraces steps;
    private final TextMapPropagator propagator;

    public RequestTraceHeaders(StepTraces steps, OpenTelemetry telemetry) {
        this.steps = steps;
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
    }

    /** Headers carrying the context of {@code runId}'s step under way (none when tracing is off). */
    public Headers of(String runId) {
        RecordHeaders headers = new RecordHeaders();
        propagator.inject(steps.contextOf(runId), headers,
                (carrier, name, value) -> carrier.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
