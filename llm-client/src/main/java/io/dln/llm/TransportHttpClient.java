package io.dln.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.net.URI;
import java.time.Duration;

/**
 * Lets LangChain4j build and parse chat calls while the HTTP exchange goes through our {@link HttpTransport},
 * so chat calls share the backend's timeout, error messages (with Retry-After) and key scrubbing.
 * Retries and limits are applied around the whole chat call by {@link CallGuard}.
 */
final class TransportHttpClient implements HttpClient {

    private final HttpTransport transport;

    TransportHttpClient(HttpTransport transport) {
        this.transport = transport;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        // The operation is corrected by CallGuard, which knows what the call was for.
        HttpTransport.Response response = transport.send(request.method().name(), URI.create(request.url()),
                request.headers(), request.body(), LlmOperation.GENERATE);
        return SuccessfulHttpResponse.builder()
                .statusCode(response.status())
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        listener.onError(new UnsupportedOperationException("streaming chat is not used by llm-client"));
    }

    static final class Builder implements HttpClientBuilder {

        private final HttpTransport transport;
        private Duration connectTimeout;
        private Duration readTimeout;

        Builder(HttpTransport transport) {
            this.transport = transport;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout; // the transport's own timeouts apply
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new TransportHttpClient(transport);
        }
    }
}
