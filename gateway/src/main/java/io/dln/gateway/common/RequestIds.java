package io.dln.gateway.common;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every response carries {@code x-request-id}: the client's own when it sent a usable one (1-128 letters, digits,
 * '.', '_', ':' or '-'), else a new one. The id is also in the log's MDC ({@code requestId}) for the request's
 * log lines, on the event loop and on its virtual thread alike (Quarkus keeps the MDC in the request's context).
 * With tracing on, every response also carries the W3C {@code traceparent} of the request's server span, whose trace id
 * is in the log's MDC ({@code traceId}) too.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "x-request-id";
    public static final String MDC_KEY = "requestId";
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Before authentication (-200), so that its refusals carry the id too. */
    void install(@Observes Router router) {
        router.route().order(-1_000).handler(this::tag);
    }

    /**
     * A random (version 4) UUID from the thread's own generator: a request id need not be unguessable, and
     * {@code UUID.randomUUID()} would take every request through one shared SecureRandom.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private void tag(RoutingContext context) {
        String id = context.request().getHeader(HEADER);
        if (id == null || !USABLE.matcher(id).matches()) id = newId();
        context.response().putHeader(HEADER, id);
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            context.response().putHeader(TRACEPARENT,
                    "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex());
        }
        MDC.put(MDC_KEY, id);
        context.next();
    }
}
