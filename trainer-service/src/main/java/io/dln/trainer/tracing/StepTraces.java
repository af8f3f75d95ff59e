package io.dln.trainer.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trace per training step: the step's span is the root of its own trace (tagged with run and iteration), its
 * phases are child spans, and every request the step publishes carries the step's context to the workers. The
 * step's context is kept by run id, so calls made from result callbacks and re-sends still join their step's trace.
 */
@ApplicationScoped
public class StepTraces {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("dln.run_id");
    public static final AttributeKey<Long> ITERATION = AttributeKey.longKey("dln.iteration");
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_RUN_ID = "runId";

    private final Tracer tracer;
    private final Map<String, Context> steps = new ConcurrentHashMap<>();

    public StepTraces(OpenTelemetry telemetry) {
        this.tracer = telemetry.getTracer("io.dln.trainer");
    }

    /** Starts the trace of a step (or of the final evaluation) of {@code runId}; current on this thread until closed. */
    public Step begin(String runId, int iteration, String name) {
        Span span = tracer.spanBuilder(name).setNoParent()
                .setAttribute(RUN_ID, runId).setAttribute(ITERATION, (long) iteration).startSpan();
        Context context = Context.root().with(span);
        steps.put(runId, context);
        MDC.put(MDC_RUN_ID, runId);
        if (span.getSpanContext().isValid()) MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
        return new Step(runId, span, context.makeCurrent());
    }

    /** The context of the run's step under way, or the current one when the run has none. */
    public Context contextOf(String runId) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) return current;
        return steps.getOrDefault(runId, current);
    }

    Tracer tracer() {
        return tracer;
    }

    public final class Step implements AutoCloseable {
        private final String runId;
        private final Span span;
        private final Scope scope;

        private Step(String runId, Span span, Scope scope) {
            this.runId = runId;
            this.span = span;
            this.scope = scope;
        }

        /** A phase of the step (e.g. storing its checkpoint): a child span, ended when closed. */
        public Phase phase(String name) {
            Span phase = tracer.spanBuilder(name).setParent(Context.current().with(span)).startSpan();
            return new Phase(phase, phase.makeCurrent());
        }

        @Override
        public void close() {
            scope.close();
            span.end();
            steps.remove(runId);
            MDC.remove(MDC_TRACE_ID);
            MDC.remove(MDC_RUN_ID);
        }
    }

    public record Phase(Span span, Scope scope) implements AutoCloseable {
        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
