package io.dln.simulator.api;

import io.dln.simulator.config.SimulatorConfig;
import io.dln.simulator.faults.FaultInjector;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import io.dln.simulator.text.Vocabulary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The OpenAI generation endpoints, POST /v1/completions and POST /v1/chat/completions, and the
 * bearer-key check for everything under /v1. They are plain Vert.x routes on the event loop rather
 * than JAX-RS resources: at zero latency the JAX-RS layer cost more CPU per request than the whole
 * simulated model, and throughput is what the simulator is benchmarked on.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final RequestReader reader;
    private final Inference inference;
    private final Serving serving;
    private final RequestMetrics metrics;
    private final Optional<byte[]> expectedKey;

    public OpenAiRoutes(RequestReader reader, Inference inference, Serving serving, RequestMetrics metrics,
                        SimulatorConfig config) {
        this.reader = reader;
        this.inference = inference;
        this.serving = serving;
        this.metrics = metrics;
        this.expectedKey = config.apiKey().filter(k -> !k.isBlank())
                .map(k -> ("Bearer " + k).getBytes(StandardCharsets.UTF_8));
    }

    void register(@Observes Router router) {
        if (expectedKey.isPresent()) {
            router.route("/v1/*").order(-10).handler(this::authorize);
            router.route("/tokenize").order(-10).handler(this::authorize);
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/v1/completions").handler(body).handler(rc -> generate(rc, "completions", raw -> {
            CompletionParams params = reader.completion(raw);
            return new Job(() -> inference.completion(params, raw), params.stream(), params.streamUsage());
        }));
        // vLLM's tokenizer endpoint beside /v1: the token ids a client names in logit_bias
        router.post("/tokenize").handler(body).handler(this::tokenize);
        router.post("/v1/chat/completions").handler(body).handler(rc -> generate(rc, "chat", raw -> {
            ChatParams params = reader.chat(raw);
            return new Job(() -> inference.chat(params, raw), params.stream(), params.streamUsage());
        }));
    }

    /** Validates a body (throwing {@link ApiException}) and returns the work that answers it. */
    private interface Validator {
        Job validate(String body);
    }

    /** The work that answers a request, and whether its answer is streamed (with a usage chunk at the end). */
    private record Job(java.util.function.Supplier<Prepared> work, boolean stream, boolean streamUsage) {
    }

    private void generate(RoutingContext rc, String endpoint, Validator validator) {
        String body = rc.body().asString();
        try {
            Job job = validator.validate(body);
            String rates = rc.request().getHeader(FaultInjector.RATES_HEADER);
            String force = rc.request().getHeader(FaultInjector.FORCE_HEADER);
            if (job.stream()) {
                serving.serveStream(endpoint, body, rates, force, job.work(), job.streamUsage(), new EventSink(rc.response()))
                        .subscribe().with(reply -> {
                            if (reply != null) write(rc, reply);
                        }, failure -> fail(rc, endpoint, failure));
                return;
            }
            serving.serve(endpoint, body, rates, force, job.work())
                    .subscribe().with(reply -> write(rc, reply), failure -> fail(rc, endpoint, failure));
        } catch (ApiException e) {
            metrics.count(endpoint, e.status() == 400 ? "bad_request" : "error_" + e.status());
            write(rc, serving.error(e));
        } catch (RuntimeException e) {
            fail(rc, endpoint, e);
        }
    }

    private void tokenize(RoutingContext rc) {
        try {
            String text = reader.tokenize(rc.body().asString());
            List<Integer> ids = Vocabulary.ids(text);
            metrics.count("tokenize", "ok");
            rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(io.vertx.core.json.Json.encode(Map.of("tokens", ids, "count", ids.size(), "max_model_len", 32768)));
        } catch (ApiException e) {
            metrics.count("tokenize", "bad_request");
            write(rc, serving.error(e));
        }
    }

    private void authorize(RoutingContext rc) {
        String given = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (given != null && MessageDigest.isEqual(expectedKey.orElseThrow(), given.strip().getBytes(StandardCharsets.UTF_8))) {
            rc.next();
            return;
        }
        metrics.count(RequestMetrics.endpoint(rc.normalizedPath()), "unauthorized");
        write(rc, serving.error(new ApiException(401, "invalid_request_error",
                given == null ? "No API key provided; send 'Authorization: Bearer <key>'." : "Incorrect API key provided.",
                null, "invalid_api_key", null)));
    }

    private void fail(RoutingContext rc, String endpoint, Throwable failure) {
        LOG.error("simulator failure on " + rc.normalizedPath(), failure);
        metrics.count(endpoint, "failure");
        write(rc, serving.error(new ApiException(500, "server_error", "The simulator failed: " + failure, null, null, null)));
    }

    /** A streamed answer on the wire: server-sent events, each step written (and so flushed) as it comes. */
    private record EventSink(HttpServerResponse response) implements Serving.StreamSink {

        @Override
        public boolean write(List<String> events) {
            if (response.ended() || response.closed()) return false;
            if (!response.headWritten()) {
                response.setStatusCode(200).setChunked(true)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            }
            response.write(String.join("", events));
            return true;
        }

        @Override
        public void end(List<String> tail) {
            if (!response.ended() && !response.closed()) response.end(String.join("", tail));
        }

        @Override
        public void abort() {
            if (!response.closed()) response.reset();
        }
    }

    private static void write(RoutingContext rc, Reply reply) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) return;
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        reply.headers().forEach(response::putHeader);
        response.end(reply.body());
    }
}
