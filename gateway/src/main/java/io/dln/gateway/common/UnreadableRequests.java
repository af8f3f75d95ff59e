package io.dln.gateway.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * The answer to a request the HTTP decoder could not read (a negative or unreadable Content-Length, a malformed request
 * line, a URL or headers past the codec's own ceilings {@code quarkus.http.limits.*}): the status Vert.x's default
 * answer gives (400, 414 or 431), with the gateway's JSON error instead of an empty body, and the connection closed,
 * since what follows on it cannot be framed. Such a request never reaches a route; {@link InvalidRequestHandlerHook}
 * installs this as the HTTP servers' invalid-request handler.
 */
final class UnreadableRequests implements Handler<HttpServerRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;

    @Override
    public void handle(HttpServerRequest request) {
        ApiException error = errorFor(request.decoderResult());
        String path = pathOf(request);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(ErrorResponses.body(error.status(), error.code(), error.getMessage(), List.of(), path));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(Buffer.buffer(body))
                .onComplete(done -> request.connection().close());
    }

    /** The statuses of Vert.x's default answer ({@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}), in our shape. */
    static ApiException errorFor(DecoderResult result) {
        Throwable cause = result == null ? null : result.cause();
        String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (cause instanceof TooLongFrameException) {
            if (detail.startsWith("An HTTP line is larger than")) {
                return new ApiException(414, "uri_too_long", "the request line is longer than this server reads at all;"
                        + " send long input in a JSON body (POST) rather than in the query string");
            }
            if (detail.startsWith("HTTP header is larger than")) {
                return new ApiException(431, "headers_too_large", "the request headers are larger than this server reads at all;"
                        + " send fewer or shorter headers (cookies, custom headers, an oversized token)");
            }
        }
        String why = detail.isBlank() ? "" : " (" + shorten(detail) + ")";
        return new ApiException(400, "malformed_http_request", "the request is not valid HTTP/1.1 and cannot be read" + why
                + ": check its request line, its headers and its Content-Length (a whole number, 0 or more)");
    }

    /** The path if the request line could be read: it picks OpenAI's error shape under /v1. */
    private static String pathOf(HttpServerRequest request) {
        try {
            return request.path();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL) + "..." : oneLine;
    }
}
