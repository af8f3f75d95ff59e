package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.BrowserAppDeployment;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.not;

/** CORS switched on for one origin, as an operator does for a browser app: that origin may call, others may not. */
@QuarkusTest
@TestProfile(BrowserAppDeployment.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class CorsTest {

    static final String APP = BrowserAppDeployment.APP_ORIGIN;

    @Test
    void theAllowedOriginsPreflightAndCallAreAnsweredWithItsHeaders() {
        given().header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,last-event-id")
                .options("/api/runs").then().statusCode(200)
                .header("Access-Control-Allow-Origin", is(APP))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Last-Event-ID"));
        String key = Api.key(Api.tenant("cors"), "inference");
        Api.as(key).header("Origin", APP).get("/api/me").then().statusCode(200)
                .header("Access-Control-Allow-Origin", is(APP))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("x-request-id"));
        // a refusal is readable by the app too
        given().header("Origin", APP).get("/api/me").then().statusCode(401).header("Access-Control-Allow-Origin", is(APP));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "GET")
                .options("/api/me").then().header("Access-Control-Allow-Origin", not(is("https://elsewhere.example")));
        String key = Api.key(Api.tenant("cors"), "inference");
        Api.as(key).header("Origin", "https://elsewhere.example").get("/api/me").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
