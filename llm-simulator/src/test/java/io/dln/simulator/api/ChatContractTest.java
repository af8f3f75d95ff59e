package io.dln.simulator.api;

import static io.dln.simulator.api.Api.FORWARD;
import static io.dln.simulator.api.Api.post;
import static io.dln.simulator.api.Api.quote;
import static io.dln.simulator.api.Api.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChatContractTest {

    private static String chat(String content, String extra) {
        return "{\"model\":\"dln-simulator\",\"messages\":[{\"role\":\"user\",\"content\":" + quote(content) + "}]" + extra + "}";
    }

    @Test
    void answersARenderedForwardPrompt() {
        JsonNode r = tree(post("/v1/chat/completions", chat(FORWARD, ",\"temperature\":0,\"max_tokens\":10"))
                .then().statusCode(200).extract().response());
        assertEquals("chat.completion", r.get("object").asText());
        assertTrue(r.get("id").asText().startsWith("chatcmpl-"));
        JsonNode c = r.get("choices").get(0);
        assertEquals(0, c.get("index").asInt());
        assertEquals("assistant", c.get("message").get("role").asText());
        assertTrue(Set.of("Yes", "No").contains(c.get("message").get("content").asText()));
        assertEquals("stop", c.get("finish_reason").asText());
        assertTrue(c.get("logprobs").isNull());
        assertEquals(1, r.get("usage").get("completion_tokens").asInt());
        assertTrue(r.get("usage").get("prompt_tokens").asInt() > 40);
    }

    @Test
    void trimmedPromptsAndSystemMessagesStillReadAsTemplates() {
        String body = "{\"messages\":[{\"role\":\"system\",\"content\":\"You are helpful.\"},{\"role\":\"user\",\"content\":"
                + quote(FORWARD.strip()) + "}],\"temperature\":0}";
        String content = tree(post("/v1/chat/completions", body)).get("choices").get(0).get("message").get("content").asText();
        assertTrue(Set.of("Yes", "No").contains(content), content);
    }

    @Test
    void logprobsWithTopAlternatives() {
        JsonNode r = tree(post("/v1/chat/completions", chat(FORWARD, ",\"temperature\":0,\"logprobs\":true,\"top_logprobs\":3")));
        JsonNode content = r.get("choices").get(0).get("logprobs").get("content");
        assertEquals(1, content.size());
        JsonNode first = content.get(0);
        String token = first.get("token").asText();
        assertEquals(r.get("choices").get(0).get("message").get("content").asText(), token);
        assertTrue(first.get("logprob").asDouble() < 0);
        assertEquals(token.getBytes(StandardCharsets.UTF_8).length, first.get("bytes").size());
        JsonNode top = first.get("top_logprobs");
        assertEquals(3, top.size());
        assertEquals(token, top.get(0).get("token").asText());
        assertTrue(top.get(0).get("logprob").asDouble() >= top.get(1).get("logprob").asDouble());
        JsonNode none = tree(post("/v1/chat/completions", chat(FORWARD, ",\"temperature\":0,\"logprobs\":true")));
        assertEquals(0, none.get("choices").get(0).get("logprobs").get("content").get(0).get("top_logprobs").size());
    }

    @Test
    void nSamplesStopAndDeterminism() {
        String body = chat("Write a few words.", ",\"n\":2,\"temperature\":0.8,\"seed\":9,\"stop\":[\"simulator\"],\"max_tokens\":50");
        JsonNode r = tree(post("/v1/chat/completions", body));
        assertEquals(2, r.get("choices").size());
        assertEquals(1, r.get("choices").get(1).get("index").asInt());
        for (JsonNode c : r.get("choices")) assertTrue(!c.get("message").get("content").asText().contains("simulator"));
        assertEquals(post("/v1/chat/completions", body).asString(), post("/v1/chat/completions", body).asString());
        JsonNode limited = tree(post("/v1/chat/completions", chat("Write a few words.", ",\"max_completion_tokens\":2")));
        assertEquals("length", limited.get("choices").get(0).get("finish_reason").asText());
        assertEquals(2, limited.get("usage").get("completion_tokens").asInt());
    }
}
