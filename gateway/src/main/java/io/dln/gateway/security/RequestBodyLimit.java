package io.dln.gateway.security;

import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.common.LimitedInputStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;
import java.io.InputStream;

/**
 * Stops a request body with 413 once it is read past {@code dln.gateway.limits.max-request-size}, also when it
 * declares no length (sent chunked); the size filter already refused every body whose declared length is too large.
 * A resource that takes its body as a stream (the data set upload) counts it against a limit of its own.
 */
@Provider
@ApplicationScoped
public class RequestBodyLimit implements ReaderInterceptor {

    private final long max;

    public RequestBodyLimit(GatewayConfig config) {
        this.max = config.limits().maxRequestSize().asLongValue();
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType() == InputStream.class) return context.proceed();
        LimitedInputStream limited = new LimitedInputStream(context.getInputStream(), max, "the request body");
        context.setInputStream(limited);
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            if (limited.exceeded()) throw limited.tooLarge();
            throw e;
        }
    }
}
