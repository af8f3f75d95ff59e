package io.dln.simulator.api;

import static io.dln.simulator.api.Api.FORWARD;
import static io.dln.simulator.api.Api.post;
import static io.dln.simulator.api.Api.quote;
import static io.dln.simulator.api.Api.tree;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dln.simulator.world.Templates;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CompletionsContractTest {

    @Test
    void listsTheSimulatedModel() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data[0].id", equalTo("dln-simulator"))
                .body("data[0].object", equalTo("model"));
        given().get("/v1/models/dln-simulator").then().statusCode(200).body("id", equalTo("dln-simulator"));
        given().get("/v1/models/gpt-9").then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void greedyAnswerWithStopAndUsage() {
        JsonNode r = tree(post("/v1/completions", "{\"model\":\"dln-simulator\",\"prompt\":" + quote(FORWARD)
                + ",\"temperature\":0,\"max_tokens\":5,\"stop\":[\"\\n\\n\",\"###\"]}").then().statusCode(200).extract().response());
        assertEquals("text_completion", r.get("object").asText());
        assertTrue(r.get("id").asText().startsWith("cmpl-"));
        assertEquals("dln-simulator", r.get("model").asText());
        JsonNode choice = r.get("choices").get(0);
        assertTrue(Set.of("Yes", "No").contains(choice.get("text").asText()), choice.toString());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertTrue(choice.get("logprobs").isNull());
        JsonNode usage = r.get("usage");
        assertEquals(1, usage.get("completion_tokens").asInt());
        assertTrue(usage.get("prompt_tokens").asInt() > 40);
        assertEquals(usage.get("prompt_tokens").asInt() + 1, usage.get("total_tokens").asInt());
    }

    @Test
    void promptListTimesNGivesOneChoicePerPromptAndSampleInOrder() {
        String hidden = Templates.hidden("", Api.NAVIGATE_INPUT);
        JsonNode r = tree(post("/v1/completions", "{\"prompt\":[" + quote(FORWARD) + "," + quote(hidden)
                + "],\"n\":3,\"temperature\":0.9,\"seed\":5,\"max_tokens\":200}").then().statusCode(200).extract().response());
        JsonNode choices = r.get("choices");
        assertEquals(6, choices.size());
        for (int i = 0; i < 6; i++) assertEquals(i, choices.get(i).get("index").asInt());
        for (int i = 0; i < 3; i++) assertTrue(Set.of("Yes", "No", "yes", "no").contains(choices.get(i).get("text").asText())
                || choices.get(i).get("text").asText().startsWith("The answer") || choices.get(i).get("text").asText().startsWith("Answer"));
        for (int i = 3; i < 6; i++) assertTrue(choices.get(i).get("text").asText().length() > 20);
        int completion = 0;
        for (JsonNode c : choices) completion += c.get("text").asText().isEmpty() ? 0 : 1;
        assertTrue(r.get("usage").get("completion_tokens").asInt() >= completion);
    }

    @Test
    void echoWithZeroMaxTokensScoresThePromptItself() {
        String prompt = FORWARD + "Yes";
        JsonNode r = tree(post("/v1/completions", "{\"prompt\":" + quote(prompt)
                + ",\"max_tokens\":0,\"echo\":true,\"logprobs\":1,\"temperature\":0}").then().statusCode(200).extract().response());
        JsonNode c = r.get("choices").get(0);
        assertEquals(prompt, c.get("text").asText());
        assertEquals("length", c.get("finish_reason").asText());
        assertEquals(0, r.get("usage").get("completion_tokens").asInt());
        JsonNode lp = c.get("logprobs");
        StringBuilder joined = new StringBuilder();
        for (JsonNode t : lp.get("tokens")) joined.append(t.asText());
        assertEquals(prompt, joined.toString());
        assertTrue(lp.get("token_logprobs").get(0).isNull());
        assertTrue(lp.get("top_logprobs").get(0).isNull());
        int n = lp.get("tokens").size();
        assertEquals(r.get("usage").get("prompt_tokens").asInt(), n);
        for (int i = 0; i < n; i++) {
            int offset = lp.get("text_offset").get(i).asInt();
            assertEquals(lp.get("tokens").get(i).asText(), prompt.substring(offset, offset + lp.get("tokens").get(i).asText().length()));
        }
        // the target's tokens start exactly where the context ends
        assertEquals(FORWARD.length(), lp.get("text_offset").get(n - 1).asInt());
        assertEquals("Yes", lp.get("tokens").get(n - 1).asText());
        double target = lp.get("token_logprobs").get(n - 1).asDouble();
        assertTrue(target < 0 && target > -10);
        assertTrue(lp.get("top_logprobs").get(n - 1).has("Yes"));
    }

    @Test
    void topKFirstTokenIsTheAnswerDistribution() {
        JsonNode r = tree(post("/v1/completions", "{\"prompt\":" + quote(FORWARD)
                + ",\"max_tokens\":1,\"logprobs\":10,\"temperature\":0}").then().statusCode(200).extract().response());
        JsonNode c = r.get("choices").get(0);
        JsonNode top = c.get("logprobs").get("top_logprobs").get(0);
        assertEquals(10, top.size());
        for (String v : List.of("Yes", "No", "yes", "no")) assertTrue(top.has(v), top.toString());
        double mass = 0;
        String best = null;
        double bestLp = -1e9;
        for (Iterator<String> it = top.fieldNames(); it.hasNext(); ) {
            String token = it.next();
            double lp = top.get(token).asDouble();
            mass += Math.exp(lp);
            if (lp > bestLp) {
                bestLp = lp;
                best = token;
            }
        }
        assertTrue(mass > 0.99 && mass <= 1.001, "mass " + mass);
        assertEquals(best, c.get("text").asText());
        assertEquals(0, c.get("logprobs").get("text_offset").get(0).asInt());
    }

    @Test
    void stopSequencesAndMaxTokensCutTheText() {
        String body = "{\"prompt\":\"Tell me something.\",\"temperature\":0,\"max_tokens\":200,\"stop\":\"simulator\"}";
        String full = tree(post("/v1/completions", body.replace(",\"stop\":\"simulator\"", ""))).get("choices").get(0).get("text").asText();
        String cut = tree(post("/v1/completions", body)).get("choices").get(0).get("text").asText();
        if (full.contains("simulator")) {
            assertEquals(full.substring(0, full.indexOf("simulator")), cut);
        } else {
            assertEquals(full, cut);
        }
        JsonNode shortOne = tree(post("/v1/completions", "{\"prompt\":\"Tell me something.\",\"temperature\":0,\"max_tokens\":3}"));
        assertEquals("length", shortOne.get("choices").get(0).get("finish_reason").asText());
        assertEquals(3, shortOne.get("usage").get("completion_tokens").asInt());
        assertTrue(full.startsWith(shortOne.get("choices").get(0).get("text").asText()));
    }

    @Test
    void sameRequestSameResponseAndSeedsPickSamples() {
        String prompt = Templates.backward("", Templates.MESSAGES.get(1), List.of(
                new Templates.Shown(Api.NAVIGATE_INPUT, "No", "Yes", false)));
        String body = "{\"prompt\":" + quote(prompt) + ",\"temperature\":0.7,\"max_tokens\":120,\"seed\":%d}";
        assertEquals(post("/v1/completions", body.formatted(3)).asString(), post("/v1/completions", body.formatted(3)).asString());
        Set<String> texts = new HashSet<>();
        for (int seed = 0; seed < 12; seed++) texts.add(tree(post("/v1/completions", body.formatted(seed))).get("choices").get(0).get("text").asText());
        assertTrue(texts.size() >= 3, texts.toString());
        texts.forEach(t -> assertFalse(t.contains("\n\n") || t.contains("###")));
        String greedy = "{\"prompt\":" + quote(FORWARD) + ",\"temperature\":0,\"seed\":%d}";
        assertEquals(tree(post("/v1/completions", greedy.formatted(1))).get("choices"),
                tree(post("/v1/completions", greedy.formatted(2))).get("choices"));
        assertNotEquals(post("/v1/completions", body.formatted(1)).asString(), post("/v1/completions", greedy.formatted(1)).asString());
    }

    @Test
    void bigBatchesAreServedToo() {
        StringBuilder prompts = new StringBuilder();
        int count = 80;
        for (int i = 0; i < count; i++) {
            if (i > 0) prompts.append(',');
            prompts.append(quote(FORWARD.replace("Decide whether", "Decide (case " + i + ") whether") + " ".repeat(1500)));
        }
        JsonNode r = tree(post("/v1/completions", "{\"prompt\":[" + prompts + "],\"max_tokens\":1,\"logprobs\":2,\"temperature\":0}")
                .then().statusCode(200).extract().response());
        assertEquals(count, r.get("choices").size());
        assertEquals(count - 1, r.get("choices").get(count - 1).get("index").asInt());
    }

    @Test
    void healthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}").then().statusCode(200);
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("simulator_requests_total{endpoint=\"completions\",outcome=\"ok\"}"), metrics);
    }
}
