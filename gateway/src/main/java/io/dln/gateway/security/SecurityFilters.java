package io.dln.gateway.security;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.ErrorResponses;
import io.dln.gateway.common.GatewayConfig;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks every request to /api and /v1 passes, in order: body size, API key, rate limit, role.
 * Health, metrics and the OpenAPI document under /q stay open.
 */
public class SecurityFilters {

    public static final String API_KEY_HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final CurrentCaller current;
    private final GatewayConfig.Limits limits;
    private final Map<String, Set<Role>> allowed = new ConcurrentHashMap<>();

    public SecurityFilters(ApiKeys keys, RateLimiter limiter, CurrentCaller current, GatewayConfig config) {
        this.keys = keys;
        this.limiter = limiter;
        this.current = current;
        this.limits = config.limits();
    }

    /** Refuses, before the body is read, a body its Content-Length declares too large; uploads are counted as they stream. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public Optional<Response> bodySize(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!protectedPath(path)) return Optional.empty();
        long length = request.getLength();
        boolean upload = "POST".equals(request.getMethod()) && path.equals("/api/datasets");
        long max = upload ? limits.maxUploadSize().asLongValue() : limits.maxRequestSize().asLongValue();
        if (length > max) return Optional.of(ErrorResponses.of(tooLarge(length, max, upload), path));
        return Optional.empty();
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authorize(ContainerRequestContext request, SimpleResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (!protectedPath(path)) return Optional.empty();
        try {
            Caller caller = authenticate(request);
            long wait = limiter.acquire(caller);
            if (wait > 0) {
                long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
                throw new ApiException(429, "rate_limited", "too many requests for this key; retry in " + seconds + " s",
                        null, Map.of("Retry-After", String.valueOf(seconds)));
            }
            checkRole(caller, resource);
            current.set(caller);
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of(ErrorResponses.of(e, path));
        }
    }

    private Caller authenticate(ContainerRequestContext request) {
        String key = presentedKey(request);
        if (key == null) {
            throw new ApiException(401, "unauthenticated", "an API key is required: send 'Authorization: Bearer <key>' or '"
                    + API_KEY_HEADER + ": <key>'", null, Map.of("WWW-Authenticate", "Bearer"));
        }
        return keys.authenticate(key).orElseThrow(() -> new ApiException(401, "invalid_api_key",
                "the API key is not valid or has been revoked", null, Map.of("WWW-Authenticate", "Bearer")));
    }

    static String presentedKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).strip();
            if (!key.isEmpty()) return key;
        }
        String header = request.getHeaderString(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }

    private void checkRole(Caller caller, SimpleResourceInfo resource) {
        String endpoint = resource.getResourceClass().getName() + '#' + resource.getMethodName()
                + Arrays.toString(resource.parameterTypes());
        if (!allowed.computeIfAbsent(endpoint, k -> allowedRoles(resource)).contains(caller.role())) {
            throw new ApiException(403, "forbidden", "a key with role '" + caller.role().json() + "' may not do this");
        }
    }

    /** The roles of the endpoint's {@link Allow}, on its method or else its class; none without one. */
    private static Set<Role> allowedRoles(SimpleResourceInfo resource) {
        Allow allow = null;
        for (Method m : resource.getResourceClass().getMethods()) {
            if (m.getName().equals(resource.getMethodName()) && Arrays.equals(m.getParameterTypes(), resource.parameterTypes())) {
                allow = m.getAnnotation(Allow.class);
            }
        }
        if (allow == null) allow = resource.getResourceClass().getAnnotation(Allow.class);
        return allow == null ? Set.of() : Set.of(allow.value());
    }

    private static ApiException tooLarge(long length, long max, boolean upload) {
        return new ApiException(413, "payload_too_large", (upload ? "the upload" : "the request body") + " of " + length
                + " bytes exceeds the limit of " + max + " bytes");
    }

    static boolean protectedPath(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/") || path.equals("/v1");
    }
}
