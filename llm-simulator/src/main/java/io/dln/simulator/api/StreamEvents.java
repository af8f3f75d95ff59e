package io.dln.simulator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.simulator.api.Dtos.ChatChunk;
import io.dln.simulator.api.Dtos.ChatChunkChoice;
import io.dln.simulator.api.Dtos.ChatCompletion;
import io.dln.simulator.api.Dtos.Completion;
import io.dln.simulator.api.Dtos.CompletionChoice;
import io.dln.simulator.api.Dtos.CompletionChunk;
import io.dln.simulator.api.Dtos.Delta;
import io.dln.simulator.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A computed answer cut into the server-sent events that stream it, as OpenAI and vLLM write them: step i carries
 * token i of every choice that has one (and a choice's finish chunk with its last token); the tail the usage chunk
 * when asked for, then {@code data: [DONE]}. The text streamed is the text the non-streamed answer would have.
 */
final class StreamEvents {

    private final List<List<String>> steps = new ArrayList<>();
    private final List<String> tail = new ArrayList<>();

    private StreamEvents() {
    }

    static StreamEvents of(Object body, boolean withUsage, ObjectMapper mapper) {
        StreamEvents events = new StreamEvents();
        switch (body) {
            case ChatCompletion c -> events.chat(c, withUsage, mapper);
            case Completion c -> events.completion(c, withUsage, mapper);
            default -> throw new IllegalArgumentException("cannot stream " + body.getClass().getSimpleName());
        }
        events.tail.add("data: [DONE]\n\n");
        return events;
    }

    int steps() {
        return steps.size();
    }

    List<String> step(int i) {
        return steps.get(i);
    }

    List<String> tail() {
        return tail;
    }

    private void chat(ChatCompletion c, boolean withUsage, ObjectMapper mapper) {
        for (var choice : c.choices()) {
            at(0).add(event(mapper, new ChatChunk(c.id(), "chat.completion.chunk", c.created(), c.model(),
                    List.of(new ChatChunkChoice(choice.index(), new Delta("assistant", ""), null, null)), null)));
            List<String> pieces = Tokenizer.pieces(choice.message().content());
            for (int i = 0; i < pieces.size(); i++) {
                at(i).add(event(mapper, new ChatChunk(c.id(), "chat.completion.chunk", c.created(), c.model(),
                        List.of(new ChatChunkChoice(choice.index(), new Delta(null, pieces.get(i)), null, null)), null)));
            }
            at(Math.max(0, pieces.size() - 1)).add(event(mapper, new ChatChunk(c.id(), "chat.completion.chunk",
                    c.created(), c.model(), List.of(new ChatChunkChoice(choice.index(), new Delta(null, null), null,
                    choice.finishReason())), null)));
        }
        if (withUsage) {
            tail.add(event(mapper, new ChatChunk(c.id(), "chat.completion.chunk", c.created(), c.model(), List.of(), c.usage())));
        }
    }

    private void completion(Completion c, boolean withUsage, ObjectMapper mapper) {
        for (var choice : c.choices()) {
            List<String> pieces = Tokenizer.pieces(choice.text());
            for (int i = 0; i < pieces.size(); i++) {
                boolean last = i == pieces.size() - 1;
                at(i).add(event(mapper, new CompletionChunk(c.id(), "text_completion", c.created(), c.model(),
                        List.of(new CompletionChoice(choice.index(), pieces.get(i), null, last ? choice.finishReason() : null)),
                        null)));
            }
            if (pieces.isEmpty()) {
                at(0).add(event(mapper, new CompletionChunk(c.id(), "text_completion", c.created(), c.model(),
                        List.of(new CompletionChoice(choice.index(), "", null, choice.finishReason())), null)));
            }
        }
        if (withUsage) {
            tail.add(event(mapper, new CompletionChunk(c.id(), "text_completion", c.created(), c.model(), List.of(), c.usage())));
        }
    }

    private List<String> at(int i) {
        while (steps.size() <= i) steps.add(new ArrayList<>());
        return steps.get(i);
    }

    private static String event(ObjectMapper mapper, Object chunk) {
        try {
            return "data: " + mapper.writeValueAsString(chunk) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a stream chunk", e);
        }
    }
}
