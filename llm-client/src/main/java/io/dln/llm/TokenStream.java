package io.dln.llm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.lm.TokenUsage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One generation read as the backend writes it (OpenAI-compatible {@code stream: true}, server-sent events): pieces
 * of text in order from {@link #next()}, then the usage and the finish reason. The backend's timeout bounds the whole
 * read; a failure while reading is an {@link LlmBackendException} and is not retried, since text has been handed out.
 * Not thread-safe: one reader. Close it when done early.
 */
public final class TokenStream implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-stream-deadline");
        t.setDaemon(true);
        return t;
    });

    private final String backend;
    private final URI uri;
    private final HttpTransport transport;
    private final InputStream body;
    private final BufferedReader lines;
    private final boolean chat;
    private final ObjectMapper json;
    private final long promptTokens;
    private final ScheduledFuture<?> deadline;
    private final StringBuilder text = new StringBuilder();
    private volatile boolean timedOut;
    private boolean done;
    private TokenUsage usage;
    private String finishReason;

    TokenStream(String backend, URI uri, HttpTransport transport, InputStream body, boolean chat, ObjectMapper json,
                long promptTokens, Duration timeout) {
        this.backend = backend;
        this.uri = uri;
        this.transport = transport;
        this.body = body;
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.chat = chat;
        this.json = json;
        this.promptTokens = promptTokens;
        this.deadline = WATCHDOG.schedule(() -> {
            timedOut = true;
            quietly(body);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next piece of the answer as it arrives, never empty; null once the backend has sent {@code [DONE]}. */
    public String next() {
        while (!done) {
            String line;
            try {
                line = lines.readLine();
            } catch (IOException | UncheckedIOException e) {
                close();
                throw transport.streamBroken(LlmOperation.GENERATE, uri,
                        e instanceof IOException io ? io : ((UncheckedIOException) e).getCause(), timedOut);
            }
            if (line == null) {
                close();
                if (timedOut) throw transport.streamBroken(LlmOperation.GENERATE, uri, null, true);
                throw LlmBackendException.badResponse(backend, LlmOperation.GENERATE, "the stream ended before data: [DONE]");
            }
            if (!line.startsWith("data:")) continue; // comments, event names, blank separators
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
                close();
                return null;
            }
            String piece = read(data);
            if (piece != null && !piece.isEmpty()) {
                text.append(piece);
                return piece;
            }
        }
        return null;
    }

    private String read(String data) {
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JacksonException e) {
            close();
            throw LlmBackendException.badResponse(backend, LlmOperation.GENERATE, "a stream chunk is not JSON: " + e.getOriginalMessage());
        }
        if (chunk.hasNonNull("error")) {
            close();
            throw LlmBackendException.badResponse(backend, LlmOperation.GENERATE, "the backend reported an error in the stream");
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = new TokenUsage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.path("finish_reason").isTextual()) finishReason = choice.get("finish_reason").asText();
        JsonNode piece = chat ? choice.path("delta").path("content") : choice.path("text");
        return piece.isTextual() ? piece.asText() : null;
    }

    /** The server's usage once the stream is done (when it sent one), else an estimate from the texts. */
    public TokenUsage usage() {
        if (usage != null) return usage;
        return new TokenUsage(promptTokens, Batches.estimateTokens(text.toString()));
    }

    /** Why the generation ended (stop, length), once known; null before. */
    public String finishReason() {
        return finishReason;
    }

    @Override
    public void close() {
        deadline.cancel(false);
        quietly(body);
    }

    private static void quietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to stop reading: nothing more to do
        }
    }
}
