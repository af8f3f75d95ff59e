package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

/** CORS is off by default: no origin gets CORS headers, so browsers keep pages of other origins out. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class CorsOffTest {

    @Test
    void noOriginGetsCorsHeaders() {
        given().header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "GET")
                .options("/api/me").then().header("Access-Control-Allow-Origin", nullValue());
        String key = Api.key(Api.tenant("cors-off"), "inference");
        Api.as(key).header("Origin", "https://app.example.com").get("/api/me").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
