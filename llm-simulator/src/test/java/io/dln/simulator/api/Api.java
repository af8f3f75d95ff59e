package io.dln.simulator.api;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.simulator.world.Templates;
import io.restassured.response.Response;

/** Small helpers for the contract tests. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAVIGATE_INPUT = "If you follow these instructions, do you return to the starting point?"
            + " Always face forward. Take 3 steps left. Take 2 steps forward. Take 3 steps right. Take 2 steps backward.\nOptions:\n- Yes\n- No";
    static final String FORWARD = Templates.forward("Decide whether the walk returns to where it began.", NAVIGATE_INPUT);

    private Api() {
    }

    static Response post(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }

    static JsonNode tree(Response r) {
        try {
            return JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
