package io.dln.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt against a backend: no retries, no limits (see {@link CallGuard}). Turns every failure
 * into an {@link LlmBackendException} carrying the server's message with the API key scrubbed out.
 */
final class HttpTransport implements AutoCloseable {

    record Response(int status, HttpHeaders headers, String body) {
    }

    // The JDK client sets these itself and refuses them from callers.
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final String backend;
    private final Duration timeout;
    private final ApiKey apiKey;
    private final ObjectMapper json;
    private final HttpClient http;
    private final CallTracing tracing;

    HttpTransport(BackendConfig config, ApiKey apiKey, ObjectMapper json) {
        this(config, apiKey, json, CallTracing.OFF);
    }

    HttpTransport(BackendConfig config, ApiKey apiKey, ObjectMapper json, CallTracing tracing) {
        this.backend = config.name();
        this.tracing = tracing;
        this.timeout = config.timeout();
        this.apiKey = apiKey;
        this.json = json;
        Duration connect = config.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? config.timeout() : Duration.ofSeconds(10);
        // HTTP/1.1: plain-http servers (uvicorn, llama.cpp) gain nothing from an h2c upgrade attempt.
        // Responses are finished on the client's selector thread rather than handed to a pool thread first:
        // bodies are small and only collected there, and the hand-off cost about 3 ms per call at 64 callers.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connect)
                .executor(Runnable::run).build();
    }

    /** POSTs a JSON body, authenticating with the backend's key. */
    Response postJson(URI uri, String body, LlmOperation operation) {
        return send(jsonPost(uri, body, "application/json"), "POST", uri, operation);
    }

    /** A POST of a JSON body accepting {@code accept}, with the backend's key. */
    private HttpRequest.Builder jsonPost(URI uri, String body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        apiKey.value().ifPresent(k -> request.header("Authorization", "Bearer " + k));
        return request;
    }

    /**
     * POSTs a JSON body that asks for a server-sent event stream and returns once the headers are in: the body is
     * left to the caller to read (and close). A status other than 2xx is a failure with the server's message, as for
     * {@link #postJson}, so the caller's retry policy covers the connection phase.
     */
    InputStream postStream(URI uri, String body, LlmOperation operation) {
        HttpRequest.Builder builder = jsonPost(uri, body, "text/event-stream");
        Span span = tracing.start(builder, "POST", uri, backend);
        HttpRequest request = builder.timeout(AttemptContext.deadlineOr(timeout)).build();
        String target = "POST " + uri;
        try {
            CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            AttemptContext.register(pending);
            HttpResponse<InputStream> response = await(pending, request.timeout().orElse(timeout), operation, target);
            CallTracing.answered(span, response.statusCode());
            if (response.statusCode() / 100 == 2) return response.body();
            String error;
            try (InputStream in = response.body()) {
                error = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                error = "";
            }
            throw new LlmBackendException(backend, operation, LlmBackendException.Failure.HTTP_STATUS, response.statusCode(),
                    apiKey.scrub(ServerErrors.message(json, error)), ServerErrors.retryAfter(response.headers(), Instant.now()), 1, null);
        } catch (LlmBackendException e) {
            if (e.status() == 0) CallTracing.failed(span, e);
            throw e;
        } catch (RuntimeException e) {
            span.end();
            throw e;
        }
    }

    /** A failure while reading a stream opened by {@link #postStream}: the time limit ran out, or the connection broke. */
    LlmBackendException streamBroken(LlmOperation operation, URI uri, IOException cause, boolean timedOut) {
        return timedOut ? timedOut(operation, "POST " + uri, timeout) : transportFailure(operation, "POST " + uri, cause, timeout);
    }

    /** GETs a resource, authenticating with the backend's key. */
    Response get(URI uri, LlmOperation operation) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
        apiKey.value().ifPresent(k -> request.header("Authorization", "Bearer " + k));
        return send(request, "GET", uri, operation);
    }

    /** Sends a request built elsewhere (LangChain4j), headers as given. */
    Response send(String method, URI uri, Map<String, List<String>> headers, String body, LlmOperation operation) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, values) -> {
            if (values != null && !RESTRICTED.contains(name.toLowerCase())) values.forEach(v -> request.header(name, v));
        });
        return send(request, method, uri, operation);
    }

    private Response send(HttpRequest.Builder builder, String method, URI uri, LlmOperation operation) {
        Span span = tracing.start(builder, method, uri, backend);
        try {
            Response response = send(builder.timeout(AttemptContext.deadlineOr(timeout)).build(), operation);
            CallTracing.answered(span, response.status());
            return response;
        } catch (LlmBackendException e) {
            if (e.status() > 0) CallTracing.answered(span, e.status());
            else CallTracing.failed(span, e);
            throw e;
        } catch (RuntimeException e) {
            span.end();
            throw e;
        }
    }

    private Response send(HttpRequest request, LlmOperation operation) {
        Duration limit = request.timeout().orElse(timeout);
        String target = request.method() + " " + request.uri();
        // The request timeout only covers waiting for the headers; the outer wait bounds the body too.
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        AttemptContext.register(pending); // a hedge that answered first cancels this exchange (get() then throws CancellationException)
        HttpResponse<String> response = await(pending, limit, operation, target);
        if (response.statusCode() / 100 == 2) {
            return new Response(response.statusCode(), response.headers(), response.body());
        }
        throw new LlmBackendException(backend, operation, LlmBackendException.Failure.HTTP_STATUS, response.statusCode(),
                apiKey.scrub(ServerErrors.message(json, response.body())),
                ServerErrors.retryAfter(response.headers(), Instant.now()), 1, null);
    }

    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> pending, Duration limit, LlmOperation operation,
                                      String target) {
        try {
            return pending.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(operation, target, limit);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for backend '" + backend + "'");
        } catch (ExecutionException e) {
            throw transportFailure(operation, target, e.getCause(), limit);
        }
    }

    private LlmBackendException timedOut(LlmOperation operation, String target, Duration limit) {
        String which = limit.equals(timeout) ? "" : " (the attempt deadline learnt from the backend's recent latencies)";
        return new LlmBackendException(backend, operation, LlmBackendException.Failure.TIMEOUT, 0,
                "no complete response within " + limit.toMillis() + " ms to " + target + which, null, 1, null);
    }

    private LlmBackendException transportFailure(LlmOperation operation, String target, Throwable cause, Duration limit) {
        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
            return timedOut(operation, target, limit);
        }
        String what = cause instanceof IOException ? "cannot reach " : "request failed: ";
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new LlmBackendException(backend, operation, LlmBackendException.Failure.CONNECTION, 0,
                what + target + " (" + apiKey.scrub(detail) + ")", null, 1, apiKey.appearsIn(cause) ? null : cause);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
