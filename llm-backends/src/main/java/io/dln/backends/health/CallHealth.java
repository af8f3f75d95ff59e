package io.dln.backends.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a backend's recent calls and periodic pings say about it, with hysteresis so that it does not flap: it turns
 * DEGRADED or DOWN as soon as enough recent outcomes failed, but comes back UP only after several successes in a row,
 * and then starts counting afresh.
 */
public final class CallHealth {

    public enum State { UP, DEGRADED, DOWN }

    /** The state, how many of the recent outcomes failed, and the last failure's message (null when none). */
    public record Snapshot(State state, int recent, int failed, String lastError) {
    }

    /**
     * @param window            outcomes remembered
     * @param maxAge            outcomes older than this are forgotten
     * @param minOutcomes       outcomes needed before the state may worsen
     * @param degradedRatio     share of failures that makes a backend DEGRADED
     * @param downRatio         share of failures that makes it DOWN
     * @param recoverySuccesses successes in a row that bring a DEGRADED or DOWN backend back UP
     */
    public record Policy(int window, Duration maxAge, int minOutcomes, double degradedRatio, double downRatio,
                         int recoverySuccesses) {

        public Policy {
            if (window < 1 || minOutcomes < 1 || minOutcomes > window) {
                throw new IllegalArgumentException("backend health: need 1 <= min-outcomes <= window, were " + minOutcomes + " and " + window);
            }
            if (!(degradedRatio > 0 && degradedRatio <= downRatio && downRatio <= 1)) {
                throw new IllegalArgumentException("backend health: need 0 < degraded-ratio <= down-ratio <= 1, were "
                        + degradedRatio + " and " + downRatio);
            }
            if (recoverySuccesses < 1) throw new IllegalArgumentException("backend health: recovery-successes must be at least 1");
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("backend health: max-age must be positive");
        }
    }

    private record Outcome(boolean ok, Instant at) {
    }

    private final Policy policy;
    private final Deque<Outcome> outcomes = new ArrayDeque<>();
    private State state = State.UP;
    private int successesInARow;
    private String lastError;

    public CallHealth(Policy policy) {
        this.policy = policy;
    }

    public synchronized void succeeded(Instant at) {
        add(new Outcome(true, at));
        successesInARow++;
        if (state != State.UP && successesInARow >= policy.recoverySuccesses()) {
            state = State.UP;
            outcomes.clear(); // the failures before the recovery must not take it down again at once
            lastError = null;
        }
    }

    public synchronized void failed(String error, Instant at) {
        add(new Outcome(false, at));
        successesInARow = 0;
        lastError = error;
        if (outcomes.size() < policy.minOutcomes()) return;
        double ratio = failures() / (double) outcomes.size();
        if (ratio >= policy.downRatio()) {
            state = State.DOWN;
        } else if (ratio >= policy.degradedRatio() && state == State.UP) {
            state = State.DEGRADED;
        }
    }

    public synchronized Snapshot snapshot(Instant now) {
        forgetOld(now);
        return new Snapshot(state, outcomes.size(), failures(), lastError);
    }

    private void add(Outcome o) {
        outcomes.addLast(o);
        while (outcomes.size() > policy.window()) outcomes.removeFirst();
        forgetOld(o.at());
    }

    private void forgetOld(Instant now) {
        Instant oldest = now.minus(policy.maxAge());
        while (!outcomes.isEmpty() && outcomes.peekFirst().at().isBefore(oldest)) outcomes.removeFirst();
    }

    private int failures() {
        return (int) outcomes.stream().filter(o -> !o.ok()).count();
    }
}
