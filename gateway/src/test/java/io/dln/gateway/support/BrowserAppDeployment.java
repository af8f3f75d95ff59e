package io.dln.gateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The gateway as an operator sets it up behind a browser app: CORS for the app's origin and OIDC bearer tokens from
 * its identity provider (verified with a key the tests make, no identity server). The CORS and OIDC tests share it
 * because each test profile costs a Quarkus build and start.
 */
public class BrowserAppDeployment implements QuarkusTestProfile {

    public static final String APP_ORIGIN = "https://app.example.com";
    public static final String ISSUER = "https://login.example.test/realms/dln";
    public static final String AUDIENCE = "dln-gateway";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.cors.enabled", "true",
                "quarkus.http.cors.origins", APP_ORIGIN,
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.public-key", TestSigningKeys.publicKey(),
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE,
                "quarkus.oidc.roles.role-claim-path", "dln_roles",
                "dln.gateway.security.oidc.tenant-claim", "dln_tenant");
    }
}
