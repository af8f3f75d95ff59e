package io.dln.gateway.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request with an error in the gateway's JSON shape from the HTTP layer, before the REST layer has it
 * (authentication, admission of bodies). A request whose body has not been read is answered and its HTTP/1.x
 * connection closed, so the unread bytes are never taken in.
 */
public final class VertxErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VertxErrors() {
    }

    public static void send(RoutingContext context, ApiException e) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.headWritten()) return;
        HttpServerRequest request = context.request();
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(ErrorResponses.body(e.status(), e.code(), e.getMessage(), e.fields(), request.path()));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        response.setStatusCode(e.status());
        e.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        boolean unread = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
        if (unread) response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        response.end(Buffer.buffer(body)).onComplete(done -> {
            if (unread && !request.isEnded()) request.connection().close();
        });
    }
}
