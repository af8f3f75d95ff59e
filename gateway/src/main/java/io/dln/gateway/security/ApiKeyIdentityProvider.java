package io.dln.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Turns an API key into a {@link SecurityIdentity}: its role as the identity's role, its tenant and the whole
 * {@link Caller} as attributes. A key known without the database (the bootstrap key, a cached answer) is answered
 * on the event loop; the others are read on a worker thread, unless their client address has failed too often.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeys keys;
    private final FailedAuthentications failures;

    public ApiKeyIdentityProvider(ApiKeys keys, FailedAuthentications failures) {
        this.keys = keys;
        this.failures = failures;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        String hash = KeyHashing.hash(request.key().strip());
        Optional<Caller> known = keys.known(hash);
        if (known != null) return Uni.createFrom().item(() -> identity(known));
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        Uni<SecurityIdentity> refused = http == null ? null : ApiKeyAuthenticationMechanism.refuseFailingAddress(http, failures);
        if (refused != null) return refused;
        return context.runBlocking(() -> identity(keys.lookUp(hash)));
    }

    private static SecurityIdentity identity(Optional<Caller> caller) {
        Caller c = caller.orElseThrow(AuthenticationFailedException::new);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(c.keyName()))
                .addRole(c.role().json())
                .addAttribute(Caller.ATTRIBUTE, c)
                .addAttribute(Caller.TENANT_ATTRIBUTE, c.tenant())
                .build();
    }
}
