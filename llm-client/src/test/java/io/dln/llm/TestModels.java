package io.dln.llm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

final class TestModels {

    static final String KEY_VARIABLE = "DLN_TEST_API_KEY";
    static final String SECRET = "sk-test-9f8e7d6c5b4a3210";

    private TestModels() {
    }

    static BackendConfig config(FakeOpenAiServer server, String name) {
        return BackendConfig.of(name, server.baseUrl(), "test-model").withTimeout(Duration.ofSeconds(5));
    }

    static OpenAiCompatibleModel model(BackendConfig config) {
        return OpenAiCompatibleModel.builder(config)
                .environment(Map.of(KEY_VARIABLE, SECRET)::get)
                .retryPolicy(RetryPolicy.quick())
                .build();
    }

    static OpenAiCompatibleModel model(FakeOpenAiServer server, String name, UnaryOperator<BackendConfig> tweak) {
        return model(tweak.apply(config(server, name)));
    }

    /** The value, or the failure's own exception (not the ExecutionException around it). */
    static <T> T await(CompletableFuture<T> future) throws Throwable {
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
