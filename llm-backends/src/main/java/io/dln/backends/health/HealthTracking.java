package io.dln.backends.health;

import io.dln.core.lm.TokenUsage;
import io.dln.llm.LlmBackendException;
import io.dln.llm.LlmCallListener;
import io.dln.llm.LlmOperation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Feeds every backend's call outcomes to its {@link CallHealth}. */
public final class HealthTracking implements LlmCallListener {

    private final CallHealth.Policy policy;
    private final Clock clock;
    private final Map<String, CallHealth> backends = new ConcurrentHashMap<>();

    public HealthTracking(CallHealth.Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    public CallHealth of(String backend) {
        return backends.computeIfAbsent(backend, b -> new CallHealth(policy));
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
        of(backend).succeeded(clock.instant());
    }

    @Override
    public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
        if (saysSomethingAboutTheBackend(error)) of(backend).failed(error.getMessage(), clock.instant());
    }

    /**
     * A request the server refused for what it asked (400, 413, 422: a prompt too long, a parameter out of range) is the
     * caller's problem; a refused key (401, 403), a wrong model or URL (404), rate limits outlasting the retries, server
     * errors, timeouts, lost connections and unreadable answers are the backend's.
     */
    static boolean saysSomethingAboutTheBackend(LlmBackendException e) {
        if (e.failure() != LlmBackendException.Failure.HTTP_STATUS) return true;
        int s = e.status();
        return s == 401 || s == 403 || s == 404 || s == 408 || s == 429 || s >= 500;
    }
}
