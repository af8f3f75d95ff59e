package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.BrowserAppDeployment;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.TestSigningKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * OIDC bearer tokens as a second way in, switched on by configuration, verified with a key the test makes (no
 * identity server): the issuer, audience and expiry are checked, the tenant comes from a configured claim, the roles
 * from another. API keys work as before beside them.
 */
@QuarkusTest
@TestProfile(BrowserAppDeployment.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class OidcTest {

    static final String ISSUER = BrowserAppDeployment.ISSUER;

    private final String tenant = Api.tenant("oidc");

    @Test
    void aValidTokenIsACallerOfItsTenantWithItsRoles() {
        String token = token(tenant, List.of("trainer"), "dln-gateway", Instant.now().plusSeconds(300));
        Api.as(token).get("/api/me").then().statusCode(200).body("tenant", is(tenant)).body("role", is("trainer"))
                .body("keyId", nullValue()).body("keyName", is("oidc:alice"));
        Api.as(token).contentType("application/x-ndjson")
                .body("{\"input\": \"a\", \"target\": \"b\"}\n".repeat(10).getBytes(StandardCharsets.UTF_8))
                .queryParam("name", "from-a-token").post("/api/datasets").then().statusCode(201);
        Api.as(token).get("/api/datasets").then().statusCode(200).body("items.name", org.hamcrest.Matchers.hasItem("from-a-token"));
        // what it made is its tenant's, as a key of that tenant sees
        Api.as(Api.key(tenant, "trainer")).get("/api/datasets").then().body("items.name", org.hamcrest.Matchers.hasItem("from-a-token"));
        Api.as(token).get("/api/admin/keys").then().statusCode(403).body("error.code", is("forbidden"));
    }

    @Test
    void expiredWrongAudienceWrongIssuerOrForgedTokensAre401() {
        Api.as(token(tenant, List.of("admin"), "dln-gateway", Instant.now().minusSeconds(60))).get("/api/me")
                .then().statusCode(401).contentType(ContentType.JSON).body("error.code", is("invalid_token"));
        Api.as(token(tenant, List.of("admin"), "another-service", Instant.now().plusSeconds(300))).get("/api/me")
                .then().statusCode(401).body("error.code", is("invalid_token"));
        String otherIssuer = Jwt.issuer("https://elsewhere.test").audience("dln-gateway").subject("mallory")
                .claim("dln_tenant", tenant).claim("dln_roles", List.of("admin")).expiresAt(Instant.now().plusSeconds(300))
                .sign(TestSigningKeys.privateKey());
        Api.as(otherIssuer).get("/api/me").then().statusCode(401);
        String valid = token(tenant, List.of("admin"), "dln-gateway", Instant.now().plusSeconds(300));
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        Api.as(forged).get("/api/me").then().statusCode(401).body("error.code", is("invalid_token"));
        Api.as(forged).contentType(ContentType.JSON).body(Map.of("model", "dln/x")).post("/v1/chat/completions")
                .then().statusCode(401).body("error.type", is("authentication_error"));
    }

    @Test
    void aTokenWithoutOurRoleIs403AndWithoutATenantIs401() {
        String viewer = token(tenant, List.of("viewer"), "dln-gateway", Instant.now().plusSeconds(300));
        Api.as(viewer).get("/api/models").then().statusCode(403).contentType(ContentType.JSON).body("error.code", is("forbidden"));
        Api.as(viewer).get("/v1/models").then().statusCode(403).body("error.type", is("permission_error"));
        String noTenant = Jwt.issuer(ISSUER).audience("dln-gateway").subject("bob").claim("dln_roles", List.of("admin"))
                .expiresAt(Instant.now().plusSeconds(300)).sign(TestSigningKeys.privateKey());
        Api.as(noTenant).get("/api/me").then().statusCode(401);
    }

    @Test
    void apiKeysWorkAsBeforeBesideTokens() {
        String key = Api.key(tenant, "inference");
        Api.as(key).get("/api/me").then().statusCode(200).body("tenant", is(tenant)).body("role", is("inference"));
        given().header("X-API-Key", key).get("/api/models").then().statusCode(200);
        Api.as("dln_not-a-key").get("/api/me").then().statusCode(401).body("error.code", is("invalid_api_key"));
        given().get("/api/me").then().statusCode(401).body("error.message", org.hamcrest.Matchers.containsString("OIDC"));
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String token(String tenant, List<String> roles, String audience, Instant expires) {
        return Jwt.issuer(ISSUER).audience(audience).subject("alice").claim("dln_tenant", tenant).claim("dln_roles", roles)
                .issuedAt(expires.minusSeconds(600)).expiresAt(expires).sign(TestSigningKeys.privateKey());
    }
}
