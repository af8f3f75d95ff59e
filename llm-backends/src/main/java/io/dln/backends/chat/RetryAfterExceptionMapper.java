package io.dln.backends.chat;

import dev.langchain4j.exception.HttpException;
import io.dln.llm.RetryAfterHttpException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns a refused response of the LangChain4j extension's OpenAI REST client that names a wait ({@code Retry-After} or
 * OpenAI's {@code retry-after-ms}) into a {@link RetryAfterHttpException}, so our retry policy waits what the server
 * asked for. The extension's own mapper ({@code OpenAiRestApi.toException}, a {@code @ClientExceptionMapper} of the
 * default priority) makes a plain {@link HttpException} of status and body and drops the headers; the REST client asks
 * its mappers in priority order and throws the first answer, so this one runs first. Responses without such a header
 * are left to the extension's mapper.
 */
final class RetryAfterExceptionMapper implements ResponseExceptionMapper<HttpException> {

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400 && headers.keySet().stream().anyMatch(RetryAfterExceptionMapper::namesAWait);
    }

    private static boolean namesAWait(String header) {
        return header.equalsIgnoreCase("retry-after") || header.equalsIgnoreCase("retry-after-ms");
    }

    @Override
    public HttpException toThrowable(Response response) {
        Duration wait = RetryAfterHttpException.readRetryAfter(response.getHeaderString("retry-after-ms"),
                response.getHeaderString("Retry-After"), Instant.now());
        return new RetryAfterHttpException(response.getStatus(), response.readEntity(String.class), wait);
    }

    @Override
    public int getPriority() {
        return Priorities.USER - 100;
    }
}
