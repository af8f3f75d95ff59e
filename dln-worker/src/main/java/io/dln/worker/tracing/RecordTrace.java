package io.dln.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

/**
 * Serving a record continues its trace: the Kafka connector makes a consume span, a child of the record's
 * {@code traceparent} header, and puts it in the message's {@link TracingMetadata}; this makes that context current on
 * the thread that serves the record (so each backend call's span is its child) and puts the trace and request ids in
 * the log's MDC for the record's log lines.
 */
public final class RecordTrace implements AutoCloseable {

    public static final String TRACE_ID = "traceId";
    public static final String REQUEST_ID = "requestId";

    private final Scope scope;

    private RecordTrace(Scope scope) {
        this.scope = scope;
    }

    public static RecordTrace enter(Message<?> record) {
        Context context = TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext).orElse(Context.current());
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (span.isValid()) MDC.put(TRACE_ID, span.getTraceId());
        return new RecordTrace(context.makeCurrent());
    }

    /** The request the record carries, once it is known. */
    public static void request(String requestId) {
        MDC.put(REQUEST_ID, requestId);
    }

    @Override
    public void close() {
        scope.close();
        MDC.remove(TRACE_ID);
        MDC.remove(REQUEST_ID);
    }
}
