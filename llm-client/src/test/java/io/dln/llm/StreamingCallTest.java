package io.dln.llm;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.TokenUsage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.dln.llm.FakeOpenAiServer.error;
import static io.dln.llm.FakeOpenAiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A streamed generation: the connection phase is retried like any call, reading is not; what a broken stream gives. */
class StreamingCallTest {

    private static final GenerationRequest ASK = GenerationRequest.greedy("hi", 8, List.of("\n\n"));
    private static final String EVENTS = """
            data: {"choices":[{"index":0,"text":"Hel","finish_reason":null}]}

            : a comment line, ignored

            data: {"choices":[{"index":0,"text":"lo","finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}

            data: [DONE]

            """;

    private static List<String> read(TokenStream stream) {
        List<String> pieces = new ArrayList<>();
        for (String piece = stream.next(); piece != null; piece = stream.next()) pieces.add(piece);
        return pieces;
    }

    @Test
    void aRefusedConnectionIsRetriedThenTheStreamIsReadPieceByPiece() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", json(503, error("busy")), json(200, EVENTS));
            try (var model = OpenAiCompatibleModel.builder(TestModels.config(server, "streaming")).retryPolicy(RetryPolicy.quick()).build();
                 TokenStream stream = model.stream(ASK)) {
                assertEquals(List.of("Hel", "lo"), read(stream));
                assertEquals("stop", stream.finishReason());
                assertEquals(new TokenUsage(3, 2), stream.usage());
            }
            var sent = server.requests("/v1/completions");
            assertEquals(2, sent.size(), "the 503 was retried");
            assertTrue(sent.getLast().body().path("stream").asBoolean());
            assertTrue(sent.getLast().body().path("stream_options").path("include_usage").asBoolean());
            assertEquals(8, sent.getLast().body().path("max_tokens").asInt());
        }
    }

    @Test
    void aStreamCutShortOrCarryingAnErrorFailsWhileReading() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", json(200, EVENTS.substring(0, EVENTS.indexOf("data: [DONE]"))),
                    json(200, "data: {\"error\":{\"message\":\"out of memory\"}}\n\n"));
            try (var model = OpenAiCompatibleModel.create(TestModels.config(server, "broken"))) {
                TokenStream cut = model.stream(ASK);
                assertEquals("Hel", cut.next());
                assertEquals("lo", cut.next());
                var noDone = assertThrows(LlmBackendException.class, cut::next);
                assertEquals(LlmBackendException.Failure.BAD_RESPONSE, noDone.failure());
                assertEquals(new TokenUsage(3, 2), cut.usage(), "what the stream said before it broke");

                var withError = assertThrows(LlmBackendException.class, () -> model.stream(ASK).next());
                assertEquals(LlmBackendException.Failure.BAD_RESPONSE, withError.failure());
            }
            assertEquals(2, server.requests("/v1/completions").size(), "reading is never retried");
        }
    }
}
