package io.dln.backends;

import io.dln.backends.config.BackendsConfig;
import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.ProbeStatus;
import io.dln.backends.registry.UnknownBackendException;
import io.dln.llm.BackendConfig;
import io.dln.llm.BackendKind;
import io.dln.llm.GenerationApi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class BackendRegistryTest {

    public static BackendsConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(BackendsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "60s" syntax
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(BackendsConfig.class);
    }

    static Map<String, String> twoBackends() {
        Map<String, String> p = new HashMap<>();
        p.put("dln.backends.sim.base-url", "http://127.0.0.1:1");
        p.put("dln.backends.sim.model", "dln-simulator");
        p.put("dln.backends.sim.probe-at-start", "false");
        p.put("dln.backends.big.kind", "vllm");
        p.put("dln.backends.big.base-url", "http://vllm:8000/v1");
        p.put("dln.backends.big.model", "llama");
        p.put("dln.backends.big.api-key-env", "BIG_KEY");
        p.put("dln.backends.big.timeout", "5s");
        p.put("dln.backends.big.max-prompts-per-call", "4");
        p.put("dln.backends.big.generation-api", "chat");
        p.put("dln.backends.big.capabilities.echo", "false");
        p.put("dln.backends.big.capabilities.max-top-logprobs", "5");
        p.put("dln.backends.big.probe-at-start", "false");
        return p;
    }

    @Test
    void mapsTypedConfigToClientConfigWithDefaults() {
        BackendsConfig config = config(twoBackends());
        var sim = io.dln.backends.config.BackendConfigs.toClientConfig("sim", config.backends().get("sim"));
        assertEquals(BackendKind.OPENAI_COMPATIBLE, sim.kind());
        assertEquals("http://127.0.0.1:1/v1", sim.baseUrl());
        assertEquals(BackendConfig.DEFAULT_MAX_CONCURRENT_REQUESTS, sim.maxConcurrentRequests());
        assertEquals(BackendConfig.DEFAULT_TIMEOUT, sim.timeout());
        assertEquals(BackendConfig.DEFAULT_MAX_RETRIES, sim.maxRetries());
        assertEquals(BackendConfig.DEFAULT_MAX_PROMPTS_PER_CALL, sim.maxPromptsPerCall());
        assertNull(sim.apiKeyEnv());
        assertTrue(sim.capabilityOverrides().isEmpty());

        var big = io.dln.backends.config.BackendConfigs.toClientConfig("big", config.backends().get("big"));
        assertEquals(BackendKind.VLLM, big.kind());
        assertEquals("BIG_KEY", big.apiKeyEnv());
        assertEquals(Duration.ofSeconds(5), big.timeout());
        assertEquals(4, big.maxPromptsPerCall());
        assertEquals(GenerationApi.CHAT, big.generationApi());
        assertEquals(Boolean.FALSE, big.capabilityOverrides().echoLogprobs());
        assertEquals(5, big.capabilityOverrides().maxTopLogprobs());
        assertNull(big.capabilityOverrides().topLogprobs());
    }

    @Test
    void unknownBackendNamesTheKnownOnes() {
        Map<String, String> p = twoBackends();
        p.remove("dln.backends.big.api-key-env"); // BIG_KEY is not set in the test environment
        var registry = new BackendRegistry(config(p), new SimpleMeterRegistry());
        var e = assertThrows(UnknownBackendException.class, () -> registry.model("gpt"));
        assertEquals("unknown backend 'gpt'; this service knows big, sim (configured under dln.backends.<name>)", e.getMessage());
        assertTrue(registry.contains("sim"));
        assertFalse(registry.contains(null));
    }

    @Test
    void noBackendsIsAnEmptyRegistry() {
        var registry = new BackendRegistry(config(Map.of()), new SimpleMeterRegistry());
        assertTrue(registry.names().isEmpty());
        var e = assertThrows(UnknownBackendException.class, () -> registry.model("sim"));
        assertTrue(e.getMessage().contains("knows none"), e.getMessage());
    }

    @Test
    void invalidConfigFailsWithoutEchoingWhatLooksLikeAKey() {
        Map<String, String> p = twoBackends();
        p.put("dln.backends.big.api-key-env", "sk-live-0123456789");
        var e = assertThrows(IllegalStateException.class, () -> new BackendRegistry(config(p), new SimpleMeterRegistry()));
        assertTrue(e.getMessage().contains("invalid configuration of backend 'big'"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-live-0123456789"), e.getMessage());
    }

    @Test
    void failedProbeIsRecordedNotThrown() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> p = new HashMap<>();
        p.put("dln.backends.down.base-url", "http://127.0.0.1:" + closedPort);
        p.put("dln.backends.down.model", "m");
        p.put("dln.backends.down.max-retries", "0");
        p.put("dln.backends.down.timeout", "2s");
        var registry = new BackendRegistry(config(p), new SimpleMeterRegistry());
        ProbeStatus status = registry.probe("down");
        assertEquals(ProbeStatus.State.FAILED, status.state());
        assertTrue(status.error().contains("backend 'down'"), status.error());
    }
}
