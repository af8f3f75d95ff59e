package io.dln.gateway.admission;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.common.VertxErrors;
import io.dln.gateway.security.Caller;
import io.dln.gateway.security.RateLimiter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * What every /api and /v1 request passes after the HTTP layer has authenticated it (so no body of a caller without a
 * valid key or token is ever read) and before the REST layer has it:
 * <ol>
 *   <li>the caller's rate limit and its tenant's (429 with Retry-After);</li>
 *   <li>a body declared larger than its limit is refused (413) unread;</li>
 *   <li>the body reserves its size from the gateway-wide {@link BodyBudget} until its request ends; one that does not
 *       fit is refused (503 with Retry-After) unread;</li>
 *   <li>the body must arrive within {@code dln.gateway.limits.body-timeout} ({@code upload-timeout} for an upload), or
 *       the request is answered 408 and its connection closed;</li>
 *   <li>a JSON body of a declared length over HTTP/1.x is read here, on the event loop, as it arrives: left to the
 *       REST layer, a blocking method reads it through a stream fed by the event loop, a thread hand-off per read
 *       (about a millisecond an inference call). Bodies without a declared length, uploads (streamed to their parser)
 *       and HTTP/2 bodies (the REST layer cannot take one already read) are read by the REST layer, still within
 *       their reservation and time limit.</li>
 * </ol>
 */
@ApplicationScoped
public class RequestAdmission {

    private final RateLimiter limiter;
    private final BodyBudget budget;
    private final GatewayConfig.Limits limits;
    private final Vertx vertx;
    private BodyHandler readJson;

    public RequestAdmission(RateLimiter limiter, BodyBudget budget, GatewayConfig config, Vertx vertx) {
        this.limiter = limiter;
        this.budget = budget;
        this.limits = config.limits();
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        readJson = BodyHandler.create(false).setBodyLimit(limits.maxRequestSize().asLongValue());
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::admit);
        // a client that went away, or whose connection was closed here after an answer, is no error of the gateway
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).failureHandler(context -> {
            if (context.failure() instanceof HttpClosedException) {
                if (!context.response().ended() && !context.response().closed()) context.response().end();
                return;
            }
            context.next();
        });
    }

    private void admit(RoutingContext context) {
        String path = context.normalizedPath();
        if (!guarded(path)) {
            context.next();
            return;
        }
        if (context.user() instanceof QuarkusHttpUser user && user.getSecurityIdentity().getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) {
            long wait = limiter.acquire(caller);
            if (wait > 0) {
                long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
                VertxErrors.send(context, new ApiException(429, "rate_limited", "too many requests for this "
                        + (caller.keyId() != null || caller.operator() ? "key" : "caller") + " or its tenant; retry in " + seconds + " s",
                        null, Map.of("Retry-After", String.valueOf(seconds))));
                return;
            }
        }
        HttpServerRequest request = context.request();
        if (!hasBody(request)) {
            context.next();
            return;
        }
        boolean upload = request.method() == HttpMethod.POST && path.equals("/api/datasets");
        long max = upload ? limits.maxUploadSize().asLongValue() : limits.maxRequestSize().asLongValue();
        long declared = declaredLength(request);
        if (declared > max) {
            VertxErrors.send(context, new ApiException(413, "payload_too_large", (upload ? "the upload" : "the request body")
                    + " of " + declared + " bytes exceeds the limit of " + max + " bytes"));
            return;
        }
        long reserved = declared >= 0 ? declared : max;
        if (!budget.tryReserve(reserved)) {
            VertxErrors.send(context, new ApiException(503, "busy", "the gateway holds as many request bodies as it may "
                    + "(dln.gateway.limits.body-budget); retry shortly", null, Map.of("Retry-After", "1")));
            return;
        }
        long timeout = (upload ? limits.uploadTimeout() : limits.bodyTimeout()).toMillis();
        long timer = vertx.setTimer(timeout, t -> {
            if (!request.isEnded()) {
                VertxErrors.send(context, new ApiException(408, "body_timeout", "the request body did not arrive within "
                        + timeout / 1000.0 + " s"));
                if (request.version() != HttpVersion.HTTP_2) request.connection().close();
            }
        });
        context.addEndHandler(ended -> {
            vertx.cancelTimer(timer);
            budget.release(reserved);
        });
        if (!upload && declared > 0 && request.version() != HttpVersion.HTTP_2) {
            readJson.handle(context);
        } else {
            context.next();
        }
    }

    static boolean guarded(String path) {
        return path != null && (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/") || path.equals("/v1"));
    }

    private static boolean hasBody(HttpServerRequest request) {
        if (request.isEnded()) return false;
        if (request.version() == HttpVersion.HTTP_2) {
            HttpMethod m = request.method();
            return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
        }
        long declared = declaredLength(request);
        return declared > 0 || (declared < 0 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING));
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) return -1;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
