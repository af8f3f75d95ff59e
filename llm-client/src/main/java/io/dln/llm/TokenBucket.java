package io.dln.llm;

import java.util.function.LongSupplier;

/**
 * A rate limit: {@code ratePerSecond} permits flow in, up to {@code capacity} saved up. A taker reserves its
 * permits at once, possibly driving the balance negative, and then sleeps until its reservation is covered;
 * reservations are thus served in arrival order. The balance may also be corrected afterwards, because the
 * tokens a call consumes are only known once the server's usage comes back.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private final LongSupplier clock;
    private double balance;
    private long last;

    TokenBucket(double capacity, double ratePerSecond) {
        this(capacity, ratePerSecond, System::nanoTime);
    }

    TokenBucket(double capacity, double ratePerSecond, LongSupplier clock) {
        if (!(capacity > 0) || !(ratePerSecond > 0)) throw new IllegalArgumentException("capacity and rate must be positive");
        this.capacity = capacity;
        this.perNano = ratePerSecond / 1e9;
        this.clock = clock;
        this.balance = capacity;
        this.last = clock.getAsLong();
    }

    /**
     * Reserves {@code permits}, but at most the capacity so that one large request cannot wait forever,
     * and waits until they are covered.
     *
     * @return the permits actually reserved
     */
    double acquire(double permits) throws InterruptedException {
        double reserved = Math.min(permits, capacity);
        long waitNanos = reserve(reserved);
        if (waitNanos > 0) Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        return reserved;
    }

    /** Takes the permits now and says how long the caller must wait for them to be covered. */
    synchronized long reserve(double permits) {
        refill();
        balance -= permits;
        return balance >= 0 ? 0 : (long) Math.ceil(-balance / perNano);
    }

    /** Charges (positive) or refunds (negative) the difference between an estimate and what was really used. */
    synchronized void adjust(double permits) {
        refill();
        balance = Math.min(capacity, balance - permits);
    }

    private void refill() {
        long now = clock.getAsLong();
        balance = Math.min(capacity, balance + (now - last) * perNano);
        last = now;
    }
}
