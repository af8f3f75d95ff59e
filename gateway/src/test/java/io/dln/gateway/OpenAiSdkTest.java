package io.dln.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK calling the gateway as it would call OpenAI. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class OpenAiSdkTest {

    private static final String QUESTION = "Is water wet?";

    private final String tenant = Api.tenant("sdk");
    private String key;
    private OpenAIClient client;

    @BeforeEach
    void setUp() {
        key = Api.key(tenant, "inference");
        Fixtures.model(tenant, "yesno", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Fixtures.model(tenant, "yesno", 2, 2, List.of("yes|Yes", "no|No"), "Think about it.", "Answer yes or no.");
        client = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(Api.baseUri() + "/v1").maxRetries(0).build();
    }

    @Test
    void chatCompletionGetsTheDlnsAnswer() {
        String expected = Api.json(key).body(Map.of("inputs", List.of(QUESTION), "version", 1)).post("/api/models/yesno/predict")
                .path("outputs[0]");
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("dln/yesno:1").addSystemMessage("You are helpful.").addUserMessage(QUESTION).build());
        assertEquals("dln/yesno:1", completion.model());
        assertEquals(expected, completion.choices().getFirst().message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().getFirst().finishReason());
        assertTrue(completion.usage().orElseThrow().totalTokens() > 0);
    }

    @Test
    void streamingWorksToo() {
        String expected = Api.json(key).body(Map.of("inputs", List.of(QUESTION))).post("/api/models/yesno/predict").path("outputs[0]");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("dln/yesno").addUserMessage(QUESTION).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            String text = chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                    .collect(Collectors.joining());
            assertEquals(expected, text);
            assertEquals("dln/yesno:2", chunks.getFirst().model());
            assertTrue(chunks.stream().flatMap(c -> c.choices().stream())
                    .anyMatch(c -> c.finishReason().map(ChatCompletionChunk.Choice.FinishReason.STOP::equals).orElse(false)));
        }
    }

    @Test
    void listsModelsAndReportsErrorsAsTheSdkExpects() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains("dln/yesno"), ids.toString());

        NotFoundException missing = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("dln/nothing").addUserMessage(QUESTION).build()));
        assertEquals(404, missing.statusCode());

        OpenAIClient stranger = OpenAIOkHttpClient.builder().apiKey("dln_wrong").baseUrl(Api.baseUri() + "/v1").maxRetries(0).build();
        assertThrows(UnauthorizedException.class, () -> stranger.models().list());
    }
}
