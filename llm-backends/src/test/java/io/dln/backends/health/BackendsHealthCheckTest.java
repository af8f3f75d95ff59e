package io.dln.backends.health;

import io.dln.backends.BackendRegistryTest;
import io.dln.backends.registry.BackendRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsHealthCheckTest {

    @Test
    void downOnlyWhenEveryBackendIsUnreachable() throws IOException {
        Map<String, String> p = new HashMap<>();
        for (String name : new String[]{"a", "b"}) {
            p.put("dln.backends." + name + ".base-url", "http://127.0.0.1:" + closedPort());
            p.put("dln.backends." + name + ".model", "m");
            p.put("dln.backends." + name + ".max-retries", "0");
        }
        var check = new BackendsHealthCheck();
        check.registry = new BackendRegistry(BackendRegistryTest.config(p), new SimpleMeterRegistry());

        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus()); // nothing known yet
        check.registry.probe("a");
        HealthCheckResponse oneDown = check.call();
        assertEquals(HealthCheckResponse.Status.UP, oneDown.getStatus());
        assertTrue(oneDown.getData().orElseThrow().get("a").toString().startsWith("unreachable: "));
        check.registry.probe("b");
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
