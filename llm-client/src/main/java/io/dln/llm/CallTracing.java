package io.dln.llm;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * A client span per HTTP attempt to a backend, named and tagged after OpenTelemetry's HTTP client conventions, with
 * its {@code traceparent} on the request. Hand-written because the transport is the JDK's HttpClient, which no Quarkus
 * extension instruments; with {@link OpenTelemetry#noop()} (the default, e.g. in the CLI) it costs next to nothing.
 */
final class CallTracing {

    static final CallTracing OFF = new CallTracing(OpenTelemetry.noop());

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> BACKEND = AttributeKey.stringKey("dln.backend");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    CallTracing(OpenTelemetry telemetry) {
        this.tracer = telemetry.getTracer("io.dln.llm-client");
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the attempt's span, a child of the caller's current context, and puts its context on the request. */
    Span start(HttpRequest.Builder request, String method, URI uri, String backend) {
        Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, method)
                .setAttribute(URL, uri.toString())
                .setAttribute(SERVER, uri.getHost())
                .setAttribute(PORT, (long) (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80))
                .setAttribute(BACKEND, backend)
                .startSpan();
        propagator.inject(Context.current().with(span), request, (builder, name, value) -> builder.setHeader(name, value));
        return span;
    }

    static void answered(Span span, int status) {
        span.setAttribute(STATUS, (long) status);
        if (status >= 400) span.setStatus(StatusCode.ERROR).setAttribute(ERROR, Integer.toString(status));
        span.end();
    }

    static void failed(Span span, LlmBackendException error) {
        span.setStatus(StatusCode.ERROR, error.failure().name()).setAttribute(ERROR, error.failure().name().toLowerCase());
        span.end();
    }
}
