package io.dln.gateway.admission;

import io.dln.gateway.common.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that request bodies in flight may hold together ({@code dln.gateway.limits.body-budget}): each body
 * reserves its size before it is read and gives it back when its request ends. Gauge
 * {@code dln.gateway.request.bodies.reserved} (bytes).
 */
@ApplicationScoped
public class BodyBudget {

    private final long budget;
    private final AtomicLong reserved = new AtomicLong();

    public BodyBudget(GatewayConfig config, MeterRegistry meters) {
        this.budget = config.limits().bodyBudget().asLongValue();
        Gauge.builder("dln.gateway.request.bodies.reserved", reserved, AtomicLong::get)
                .description("Bytes reserved by the request bodies in flight").baseUnit("bytes").register(meters);
    }

    public boolean tryReserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            if (now + bytes > budget) return false;
        } while (!reserved.compareAndSet(now, now + bytes));
        return true;
    }

    public void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    public long budget() {
        return budget;
    }
}
