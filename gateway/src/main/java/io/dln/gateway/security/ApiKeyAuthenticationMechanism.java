package io.dln.gateway.security;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.VertxErrors;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;

/**
 * API keys, as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, checked in the HTTP layer before
 * any request body is read. When OIDC is on, a bearer value shaped like a JWT is left to the OIDC mechanism, which
 * runs after this one; with OIDC off, the OIDC code is never reached by a request that carries a key.
 * <p>
 * Every refusal of the HTTP layer's security is answered here ({@link #sendChallenge}) in the gateway's JSON shape:
 * 401 without credentials or with wrong ones, 429 to an address that failed too often (checked by the identity
 * provider before a database read, so a key already known passes), 503 when keys cannot be read.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** The problem to answer with, put into the routing context when authentication fails. */
    static final String PROBLEM = ApiKeyAuthenticationMechanism.class.getName() + ".problem";
    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationMechanism.class);
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

    private final FailedAuthentications failures;
    private final boolean oidc;

    public ApiKeyAuthenticationMechanism(FailedAuthentications failures,
                                         @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.failures = failures;
        this.oidc = oidc;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Presented presented = presented(context.request());
        if (presented == null || (oidc && presented.jwt())) return Uni.createFrom().nullItem();
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(presented.key()), context);
        return identities.authenticate(request).onFailure().recoverWithUni(e -> {
            if (context.get(PROBLEM) != null) return Uni.createFrom().failure(e); // refused by the address's limit
            if (e instanceof AuthenticationFailedException) {
                failures.failed(clientAddress(context.request()));
                return refuse(context, new ApiException(401, "invalid_api_key", "the API key is not valid or has been revoked",
                        null, CHALLENGE));
            }
            LOG.warnf("API keys cannot be read: %s", e.getClass().getSimpleName());
            return refuse(context, new ApiException(503, "keys_unavailable", "API keys cannot be checked now (the database is "
                    + "unreachable); retry shortly", null, Map.of("Retry-After", "5")));
        });
    }

    /**
     * Refuses (429), before its key is looked up, a request from an address that has failed too often; null when the
     * address may try.
     */
    static Uni<SecurityIdentity> refuseFailingAddress(RoutingContext context, FailedAuthentications failures) {
        long wait = failures.waitNanos(clientAddress(context.request()));
        if (wait <= 0) return null;
        long seconds = TokenBuckets.seconds(wait);
        return refuse(context, new ApiException(429, "too_many_failed_authentications", "too many requests with invalid "
                + "keys from this address; retry in " + seconds + " s", null, Map.of("Retry-After", String.valueOf(seconds))));
    }

    private static Uni<SecurityIdentity> refuse(RoutingContext context, ApiException problem) {
        context.put(PROBLEM, problem);
        return Uni.createFrom().failure(new AuthenticationFailedException(problem.getMessage()));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        ApiException problem = context.get(PROBLEM);
        VertxErrors.send(context, problem != null ? problem : refusal(context.request()));
        return Uni.createFrom().item(true);
    }

    /** Why a request without credentials we accepted is refused: none were sent, or a token did not pass. */
    public static ApiException refusal(HttpServerRequest request) {
        Presented presented = presented(request);
        if (presented == null) {
            return new ApiException(401, "unauthenticated", "an API key is required: send 'Authorization: Bearer <key>' or '"
                    + API_KEY_HEADER + ": <key>' (or an OIDC access token as 'Authorization: Bearer <token>' where it is "
                    + "switched on)", null, CHALLENGE);
        }
        return presented.jwt()
                ? new ApiException(401, "invalid_token", "the bearer token is not valid (expired, not yet valid, wrong "
                + "issuer or audience, no tenant, or a bad signature)", null, CHALLENGE)
                : new ApiException(401, "invalid_api_key", "the API key is not valid or has been revoked", null, CHALLENGE);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    /** Before OIDC's mechanism (1001): a key is recognised without it. */
    @Override
    public int getPriority() {
        return 2000;
    }

    private record Presented(String key, boolean jwt) {
    }

    private static Presented presented(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).strip();
            if (!value.isEmpty()) return new Presented(value, looksLikeJwt(value));
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? null : new Presented(header.strip(), false);
    }

    /** Three dot-separated parts: our keys have no dots. */
    static boolean looksLikeJwt(String value) {
        int first = value.indexOf('.');
        int second = first < 0 ? -1 : value.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && value.indexOf('.', second + 1) < 0 && second < value.length() - 1;
    }

    static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    }
}
