package io.dln.gateway.common;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * Too long a URL (414) or too many header bytes (431) are answered here in the gateway's JSON shape, naming the limit
 * and what to do instead. The HTTP server's codec has ceilings of its own above these ({@code quarkus.http.limits.*});
 * what goes past them never reaches a route and is answered by {@link UnreadableRequests}. Runs before authentication,
 * so an oversized request is refused before its key is looked up.
 */
@ApplicationScoped
public class RequestHeadLimits {

    private final int maxUrlLength;
    private final long maxHeaderSize;

    public RequestHeadLimits(GatewayConfig config) {
        this.maxUrlLength = config.limits().maxUrlLength();
        this.maxHeaderSize = config.limits().maxHeaderSize().asLongValue();
    }

    /** After the request id (-1000), before authentication (-200). */
    void install(@Observes Router router) {
        router.route().order(-900).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        if (uri != null && uri.length() > maxUrlLength) {
            VertxErrors.send(context, new ApiException(414, "uri_too_long", "the request URL takes " + uri.length()
                    + " bytes, more than the " + maxUrlLength + " this gateway accepts (dln.gateway.limits.max-url-length);"
                    + " send long input in a JSON body (POST) rather than in the query string"));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        if (headerBytes > maxHeaderSize) {
            VertxErrors.send(context, new ApiException(431, "headers_too_large", "the request headers take " + headerBytes
                    + " bytes, more than the " + maxHeaderSize + " this gateway accepts (dln.gateway.limits.max-header-size);"
                    + " send fewer or shorter headers (cookies, custom headers, an oversized token)"));
            return;
        }
        context.next();
    }
}
