package io.dln.backends.chat;

import io.quarkiverse.langchain4j.openai.common.OpenAiRestApi;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * Adds {@link RetryAfterExceptionMapper} to each REST client the LangChain4j extension builds for its OpenAI models
 * (interface {@link OpenAiRestApi}), and to no other client of the service. The extension builds that client itself
 * ({@code QuarkusRestClientBuilder}, no hook of its own for providers); MicroProfile's {@link RestClientListener}
 * (a {@code java.util.ServiceLoader} service, which Quarkus' REST client calls on every build) is the standard way in.
 * A global {@code @Provider} would reach every REST client of the service, and {@code quarkus.rest-client.<key>.providers}
 * is read only for clients built from configuration.
 */
public final class OpenAiRestClientListener implements RestClientListener {

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (OpenAiRestApi.class.isAssignableFrom(serviceInterface)) builder.register(new RetryAfterExceptionMapper());
    }
}
