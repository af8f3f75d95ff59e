package io.dln.gateway.inference;

import io.dln.core.lm.TokenUsage;
import io.dln.llm.LlmBackendException;
import io.dln.llm.TokenStream;

import java.util.function.Consumer;

/**
 * A DLN's answer in pieces as the output layer generates it, cleaned as a forward pass cleans a whole answer (blank
 * lines collapsed, no leading or trailing whitespace): whitespace is held back until text follows it. Or an answer
 * known whole at once, as one piece. The tenant's tokens are counted once, when the answer is done or abandoned.
 */
public final class AnswerStream implements AutoCloseable {

    private final TokenStream stream;
    private final TokenUsage before;
    private final String backend;
    private final Consumer<TokenUsage> onDone;
    private final StringBuilder pending = new StringBuilder();
    private String whole;
    private boolean started;
    private boolean done;

    private AnswerStream(TokenStream stream, String whole, TokenUsage before, String backend, Consumer<TokenUsage> onDone) {
        this.stream = stream;
        this.whole = whole;
        this.before = before;
        this.backend = backend;
        this.onDone = onDone;
    }

    /** The output layer's stream; {@code before} is what the hidden layer used; {@code onDone} gets the total. */
    static AnswerStream of(TokenStream stream, TokenUsage before, String backend, Consumer<TokenUsage> onDone) {
        return new AnswerStream(stream, null, before, backend, onDone);
    }

    /** An answer complete before it is sent, its tokens already counted. */
    static AnswerStream whole(String answer, TokenUsage usage) {
        return new AnswerStream(null, answer, usage, null, u -> { });
    }

    /** The next piece, never empty; null at the end. A backend failure is the API error a forward pass would give. */
    public String next() {
        if (stream == null) {
            String answer = whole;
            whole = null;
            return answer == null || answer.isEmpty() ? null : answer;
        }
        while (!done) {
            String piece;
            try {
                piece = stream.next();
            } catch (LlmBackendException e) {
                finish();
                throw Predictor.backendFailure(backend, e);
            }
            if (piece == null) {
                finish();
                return null;
            }
            pending.append(piece);
            int end = pending.length();
            while (end > 0 && Character.isWhitespace(pending.charAt(end - 1))) end--;
            if (end == 0) continue;
            String out = collapse(pending.substring(0, end));
            pending.delete(0, end);
            if (!started) {
                started = true;
                out = out.stripLeading();
            }
            return out;
        }
        return null;
    }

    /** What the answer used so far: the hidden layer's tokens and the output layer's. */
    public TokenUsage usage() {
        if (stream == null) return before;
        return before.plus(stream.usage());
    }

    private static String collapse(String text) {
        String collapsed = text;
        while (collapsed.contains("\n\n")) collapsed = collapsed.replace("\n\n", "\n");
        return collapsed;
    }

    private void finish() {
        if (done) return;
        done = true;
        stream.close();
        onDone.accept(usage());
    }

    /** Stops reading (the client left): the backend's stream is closed and the tokens so far are counted. */
    @Override
    public void close() {
        if (stream != null) finish();
    }
}
