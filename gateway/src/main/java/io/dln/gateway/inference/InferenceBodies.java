package io.dln.gateway.inference;

import io.dln.gateway.common.GatewayConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads the body of an inference call on the event loop, as it arrives, before the resource method runs on its
 * virtual thread. Left to the method, the body is read there through a blocking stream that the event loop feeds,
 * a thread hand-off per read, which cost about a millisecond per call even on an idle gateway. Only bodies that
 * declare a length, not zero and within the request size limit, are read ahead, and only over HTTP/1.x: the REST
 * layer cannot take an HTTP/2 request whose body has been read, and an empty body is over before this route runs.
 * The others are read, as before, by the method (and the size filter answers 413 for a declared length too large
 * before anything is read).
 */
@ApplicationScoped
public class InferenceBodies {

    private static final String[] PATHS = {"/api/models/:name/predict", "/v1/chat/completions"};

    void readAhead(@Observes Router router, GatewayConfig config) {
        long max = config.limits().maxRequestSize().asLongValue();
        BodyHandler read = BodyHandler.create(false).setBodyLimit(max);
        Handler<RoutingContext> declaredSmall = context -> {
            long length = declaredLength(context);
            if (length > 0 && length <= max && context.request().version() != HttpVersion.HTTP_2) {
                read.handle(context);
            } else {
                context.next();
            }
        };
        for (String path : PATHS) {
            router.post(path).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(declaredSmall);
        }
    }

    private static long declaredLength(RoutingContext context) {
        String value = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) return -1;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
