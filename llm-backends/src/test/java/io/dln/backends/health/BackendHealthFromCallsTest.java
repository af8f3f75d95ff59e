package io.dln.backends.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dln.backends.BackendRegistryTest;
import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.GenerationRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13.6: against a real HTTP server that starts refusing the key with 401 and later accepts it again, health turns
 * DOWN from the failing calls and pings (not only the start-up probe), and comes back UP after successes in a row,
 * without flapping on a single outcome either way.
 */
class BackendHealthFromCallsTest {

    private volatile boolean refuseKey;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void aBackendRefusingItsKeyTurnsDownAndRecoversWithoutFlapping() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
        Map<String, String> p = new HashMap<>();
        p.put("dln.backends.vllm.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
        p.put("dln.backends.vllm.model", "m");
        p.put("dln.backends.vllm.max-retries", "0");
        p.put("dln.backends.vllm.probe-at-start", "false");
        var check = new BackendsHealthCheck();
        check.registry = new BackendRegistry(BackendRegistryTest.config(p), new SimpleMeterRegistry());
        BackendRegistry registry = check.registry;

        registry.model("vllm").generate(List.of(GenerationRequest.greedy("hi", 2, List.of()))).join();
        registry.pingAll();
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        assertEquals(CallHealth.State.UP, registry.callHealth().get("vllm").state());

        refuseKey = true;
        for (int i = 0; i < 2; i++) failingCall(registry);
        assertEquals(CallHealth.State.UP, registry.callHealth().get("vllm").state(), "too few outcomes to judge yet");
        failingCall(registry);
        HealthCheckResponse degraded = check.call();
        assertEquals(HealthCheckResponse.Status.UP, degraded.getStatus(), "degraded still serves");
        assertTrue(degraded.getData().orElseThrow().get("vllm").toString().startsWith("degraded: 3 of the last 5"),
                degraded.getData().toString());
        for (int i = 0; i < 5; i++) registry.pingAll();
        HealthCheckResponse down = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus(), "the only backend refuses every call");
        String said = down.getData().orElseThrow().get("vllm").toString();
        assertTrue(said.startsWith("down: 8 of the last 10 calls and pings failed; last: ") && said.contains("401"), said);

        refuseKey = false;
        registry.pingAll();
        registry.pingAll();
        assertEquals(CallHealth.State.DOWN, registry.callHealth().get("vllm").state(), "two successes are not yet a recovery");
        registry.pingAll();
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus(), "three successes in a row are");
        assertTrue(check.call().getData().orElseThrow().get("vllm").toString().startsWith("not probed"));

        refuseKey = true;
        registry.pingAll();
        assertEquals(CallHealth.State.UP, registry.callHealth().get("vllm").state(), "one failure after a recovery does not flap");
    }

    private static void failingCall(BackendRegistry registry) {
        assertThrows(CompletionException.class,
                () -> registry.model("vllm").generate(List.of(GenerationRequest.greedy("hi", 2, List.of()))).join());
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        boolean models = exchange.getRequestURI().getPath().endsWith("/models");
        int status = refuseKey ? 401 : 200;
        String body = refuseKey ? "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"
                : models ? "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"}]}"
                : "{\"choices\":[{\"index\":0,\"text\":\"ok\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
