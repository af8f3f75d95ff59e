package io.dln.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendConfigTest {

    @Test
    void defaultsAreUsable() {
        var c = BackendConfig.of("local", "http://localhost:8000/v1/", "llama");
        assertEquals("http://localhost:8000/v1", c.baseUrl());
        assertEquals(BackendKind.OPENAI_COMPATIBLE, c.kind());
        assertEquals(GenerationApi.COMPLETIONS, c.generationApi());
        assertEquals(CapabilityOverrides.NONE, c.capabilityOverrides());
        assertEquals("http://localhost:8000/v1/completions", c.endpoint("completions").toString());
    }

    @Test
    void aBareHostGetsTheVersionPath() {
        assertEquals("http://localhost:8000/v1", BackendConfig.of("a", "http://localhost:8000", "m").baseUrl());
        assertEquals("https://openrouter.ai/api/v1", BackendConfig.of("a", "https://openrouter.ai/api/v1", "m").baseUrl());
    }

    @Test
    void chatKindsGenerateThroughChat() {
        var c = BackendConfig.of("openai", "https://api.openai.com/v1", "gpt-4o-mini").withKind(BackendKind.OPENAI_CHAT);
        assertEquals(GenerationApi.CHAT, c.generationApi());
        var e = assertThrows(IllegalArgumentException.class, () -> c.withGenerationApi(GenerationApi.COMPLETIONS));
        assertTrue(e.getMessage().contains("no /v1/completions endpoint"), e.getMessage());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BackendConfig("bad name", null, "ftp://x", " ", null,
                0, -1, -5, Duration.ZERO, -1, 0, null, null));
        String m = e.getMessage();
        assertTrue(m.startsWith("invalid configuration of backend 'bad name': "), m);
        for (String part : new String[]{"name must be", "kind is missing", "must be an http(s) URL", "model is missing",
                "maxConcurrentRequests must be at least 1", "requestsPerSecond must be", "tokensPerMinute must be",
                "timeout must be positive", "maxRetries must not be negative", "maxPromptsPerCall must be at least 1"}) {
            assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
        }
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> BackendConfig.of("a", "http://user:pw@host/v1", "m"));
        assertTrue(e.getMessage().contains("must not carry credentials"));
        assertTrue(!e.getMessage().contains("pw@"));
    }

    @Test
    void negativeTopKOverrideIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CapabilityOverrides(null, null, null, -1));
    }
}
