package io.dln.gateway.security;

import io.dln.gateway.common.GatewayConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Gives an identity made from an OIDC token the {@link Caller} the endpoints read: its tenant from the claim
 * {@code dln.gateway.security.oidc.tenant-claim} (or the configured default tenant), its strongest role of ours among
 * the token's roles (read from {@code quarkus.oidc.roles.role-claim-path}, mapped by
 * {@code quarkus.http.auth.roles-mapping}). A token without a tenant is refused. Identities from API keys pass as
 * they are.
 */
@ApplicationScoped
public class OidcCallers implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(OidcCallers.class);

    private final GatewayConfig.Oidc config;

    public OidcCallers(GatewayConfig config) {
        this.config = config.security().oidc();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Object claim = token.getClaim(config.tenantClaim());
        String tenant = claim != null ? claim.toString().replace("\"", "").strip() : config.defaultTenant().orElse(null);
        if (tenant == null || tenant.isBlank() || !tenant.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            LOG.debugf("an OIDC token of subject %s names no valid tenant in claim '%s'", token.getSubject(), config.tenantClaim());
            return Uni.createFrom().failure(new AuthenticationFailedException("the token names no tenant"));
        }
        Caller caller = new Caller(null, "oidc:" + token.getSubject(), tenant, Role.strongest(identity.getRoles()), false, null, null);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(Caller.ATTRIBUTE, caller)
                .addAttribute(Caller.TENANT_ATTRIBUTE, tenant)
                .build());
    }
}
