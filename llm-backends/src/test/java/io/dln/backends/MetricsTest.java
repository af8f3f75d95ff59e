package io.dln.backends;

import io.dln.backends.metrics.InflightTracking;
import io.dln.backends.metrics.MicrometerCallListener;
import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.TokenUsage;
import io.dln.llm.LlmBackendException;
import io.dln.llm.LlmOperation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTest {

    @Test
    void listenerRecordsCallsRetriesAndTokens() {
        var meters = new SimpleMeterRegistry();
        var listener = new MicrometerCallListener(meters);
        listener.onSuccess("sim", LlmOperation.LOG_PROBABILITY, 2, Duration.ofMillis(30), new TokenUsage(10, 3));
        listener.onRetry("sim", LlmOperation.LOG_PROBABILITY, 1, Duration.ofMillis(5),
                new LlmBackendException("sim", LlmOperation.LOG_PROBABILITY, LlmBackendException.Failure.HTTP_STATUS,
                        429, "slow down", Duration.ofSeconds(1), 1, null));
        listener.onFailure("sim", LlmOperation.GENERATE, 4, Duration.ofMillis(50),
                new LlmBackendException("sim", LlmOperation.GENERATE, LlmBackendException.Failure.TIMEOUT,
                        0, "no answer", null, 4, null));

        assertEquals(1, meters.get("dln.llm.calls").tags("backend", "sim", "operation", "log_probability", "outcome", "ok").timer().count());
        assertEquals(1, meters.get("dln.llm.calls").tags("operation", "generate", "outcome", "error").timer().count());
        assertEquals(1, meters.get("dln.llm.retries").tags("cause", "http_429").counter().count());
        assertEquals(10, meters.get("dln.llm.tokens").tags("kind", "prompt").counter().count());
        assertEquals(3, meters.get("dln.llm.tokens").tags("kind", "completion").counter().count());
    }

    @Test
    void inflightGaugeCountsPromptsUntilAnswered() {
        var meters = new SimpleMeterRegistry();
        var pending = new CompletableFuture<List<LogProbability>>();
        var tracked = new InflightTracking("sim", new Pending(pending), meters);
        var answer = tracked.logProbability(List.of(new LogProbabilityRequest("a", "b"), new LogProbabilityRequest("c", "d")));
        assertEquals(2.0, meters.get("dln.llm.inflight").tag("backend", "sim").gauge().value());
        pending.complete(List.of());
        answer.join();
        assertEquals(0.0, meters.get("dln.llm.inflight").gauge().value());
    }

    private record Pending(CompletableFuture<List<LogProbability>> answer) implements LanguageModel {
        @Override
        public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
            return answer;
        }

        @Override
        public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.ALL;
        }
    }
}
