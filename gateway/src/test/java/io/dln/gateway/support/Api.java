package io.dln.gateway.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** REST Assured shortcuts: the bootstrap (operator) key, keys made for a tenant, requests made with a key. */
public final class Api {

    public static final String BOOTSTRAP_KEY = "test-bootstrap-admin-key-0d9c2f";

    private Api() {
    }

    /** A tenant name no other test uses, which {@link TestData} recognises. */
    public static String tenant(String prefix) {
        return TestData.TENANT_PREFIX + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    public static RequestSpecification operator() {
        return as(BOOTSTRAP_KEY);
    }

    /** Creates a key with the operator's key and returns it in clear. */
    public static String key(String tenant, String role) {
        return key(tenant, role, Map.of());
    }

    public static String key(String tenant, String role, Map<String, Object> extra) {
        var body = new java.util.HashMap<String, Object>(extra);
        body.put("name", role + "-key");
        body.put("role", role);
        body.put("tenant", tenant);
        Response r = operator().contentType(ContentType.JSON).body(body).post("/api/admin/keys");
        r.then().statusCode(201);
        return r.path("key");
    }

    public static RequestSpecification json(String key) {
        return as(key).contentType(ContentType.JSON);
    }

    public static String baseUri() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }
}
