package io.dln.gateway;

import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The Studio's pages come from the studio jar, public (the page asks for the key), with their own scripts only. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class StudioPagesTest {

    @Test
    void theStudioIsServedWithoutAKeyAndRunsOnlyItsOwnScripts() {
        given().when().get("/studio/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("DLN Studio"), not(containsString("http://")), not(containsString("https://")));
        given().when().get("/studio/js/app.js").then().statusCode(200).contentType(startsWith("text/javascript"));
        given().when().get("/studio/vendor/uplot/uPlot.iife.min.js").then().statusCode(200);
        given().when().get("/studio/vendor/diff/diff.min.js").then().statusCode(200);
        given().when().get("/api/runs").then().statusCode(401);
    }

    @Test
    void theAddressWithoutItsSlashLeadsToTheStudio() {
        given().redirects().follow(false).when().get("/studio").then().statusCode(302).header("Location", "/studio/");
    }

    @Test
    void scriptsAreCompressedForBrowsersThatAskButApiAnswersAreNot() {
        given().header("Accept-Encoding", "gzip").when().get("/studio/js/pages/run.js").then().statusCode(200)
                .header("Content-Encoding", "gzip");
        given().header("Accept-Encoding", "gzip").when().get("/q/health/live").then().statusCode(200)
                .header("Content-Encoding", org.hamcrest.Matchers.nullValue());
    }
}
