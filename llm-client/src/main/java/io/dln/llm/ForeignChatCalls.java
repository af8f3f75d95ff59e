package io.dln.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.opentelemetry.context.Context;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One chat attempt through a model that has its own HTTP client ({@link ChatModelSource}), made to behave like an
 * attempt through {@link HttpTransport}: it gives up at the attempt's deadline, a hedge that answered first cancels it,
 * and its failures become {@link LlmBackendException}s (status and server message, key scrubbed) that CallGuard retries
 * as it does the transport's.
 * <p>
 * The {@code Retry-After} of a refused call reaches the retry policy only when the client throws a
 * {@link RetryAfterHttpException} (the LangChain4j extension's client does, see llm-backends): LangChain4j's plain
 * {@link HttpException} carries status and body only, so a 429 or 503 from another client is retried after the
 * policy's back-off. What such a client does not give: aborting the exchange itself: cancelling interrupts the thread
 * that waits for it, the answer is dropped when it comes, and the client's own timeout ({@code timeout} of the backend)
 * bounds it.
 */
final class ForeignChatCalls {

    private static final ExecutorService CALLS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("llm-chat-", 0).factory());

    private final String backend;
    private final String target;
    private final Duration timeout;
    private final ApiKey apiKey;
    private final ObjectMapper json;

    ForeignChatCalls(BackendConfig config, ApiKey apiKey, ObjectMapper json) {
        this.backend = config.name();
        this.target = "POST " + config.endpoint("chat/completions");
        this.timeout = config.timeout();
        this.apiKey = apiKey;
        this.json = json;
    }

    ChatResponse chat(ChatModel model, ChatRequest request, LlmOperation operation) {
        Duration limit = AttemptContext.deadlineOr(timeout);
        // the call's thread continues the caller's trace, so the client's spans are children of the caller's
        Future<ChatResponse> pending = CALLS.submit(Context.current().wrap(() -> model.chat(request)));
        AttemptContext.register(pending); // a hedge that answered first cancels this attempt
        try {
            return pending.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            String which = limit.equals(timeout) ? "" : " (the attempt deadline learnt from the backend's recent latencies)";
            throw new LlmBackendException(backend, operation, LlmBackendException.Failure.TIMEOUT, 0,
                    "no complete response within " + limit.toMillis() + " ms to " + target + which, null, 1, null);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for backend '" + backend + "'");
        } catch (ExecutionException e) {
            throw failure(operation, e.getCause());
        }
    }

    private RuntimeException failure(LlmOperation operation, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof LlmBackendException known) return known;
            if (c instanceof HttpException http) {
                return new LlmBackendException(backend, operation, LlmBackendException.Failure.HTTP_STATUS, http.statusCode(),
                        apiKey.scrub(ServerErrors.message(json, http.getMessage())),
                        http instanceof RetryAfterHttpException told ? told.retryAfter().orElse(null) : null, 1, null);
            }
            if (isTimeout(c)) {
                return new LlmBackendException(backend, operation, LlmBackendException.Failure.TIMEOUT, 0,
                        "no complete response within " + timeout.toMillis() + " ms to " + target, null, 1, null);
            }
            if (c instanceof IOException) {
                String detail = c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage();
                return new LlmBackendException(backend, operation, LlmBackendException.Failure.CONNECTION, 0,
                        "cannot reach " + target + " (" + apiKey.scrub(detail) + ")", null, 1, apiKey.appearsIn(cause) ? null : cause);
            }
            if (c.getCause() == c) break;
        }
        // CallGuard reports anything else as a bad response, scrubbed
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    /** The client's own timeout: LangChain4j's, the JDK's, or Vert.x's (NoStackTraceTimeoutException). */
    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof dev.langchain4j.exception.TimeoutException
                || t instanceof java.net.SocketTimeoutException || t.getClass().getSimpleName().endsWith("TimeoutException");
    }
}
