package io.dln.simulator.bench;

import io.dln.core.lm.TokenUsage;
import io.dln.llm.LlmBackendException;
import io.dln.llm.LlmCallListener;
import io.dln.llm.LlmOperation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a faulty run's time goes, per kind of call (operation): the wall-clock time during which at least one call was
 * waiting on a server's Retry-After (429), backing off after a 5xx, backing off after a timed-out attempt, sending an
 * attempt that then timed out (a hung attempt, from its start to its deadline), or waiting for a hedge's answer after a
 * hung first attempt. Times are unions of intervals, so overlapping waits of calls running together count once: each
 * is about the time the run could not move on because of that cause (a phase waits for its slowest call). RETRY_AFTER_429
 * is any wait after a 429: the server's Retry-After when it sends one, the client's own back-off when it does not.
 */
final class FaultTimeline implements LlmCallListener {

    enum Cause { RETRY_AFTER_429, BACKOFF_5XX, BACKOFF_TIMEOUT, HUNG_ATTEMPT, HEDGE_WAIT, ATTEMPT }

    private record Interval(LlmOperation operation, Cause cause, long from, long to) {
    }

    private final List<Interval> intervals = new ArrayList<>();
    private final Map<Cause, Integer> counts = new EnumMap<>(Cause.class);
    private final List<String> backoffs = new ArrayList<>();
    // The start of the running call's current attempt, per thread: CallGuard runs a call's attempts and waits on one thread.
    private final ThreadLocal<Long> attemptStart = new ThreadLocal<>();

    synchronized void reset() {
        intervals.clear();
        counts.clear();
        backoffs.clear();
    }

    @Override
    public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
        long now = System.nanoTime();
        Cause wait = cause.status() == 429 ? Cause.RETRY_AFTER_429
                : cause.failure() == LlmBackendException.Failure.TIMEOUT ? Cause.BACKOFF_TIMEOUT : Cause.BACKOFF_5XX;
        synchronized (this) {
            if (cause.failure() == LlmBackendException.Failure.TIMEOUT) {
                Long start = attemptStart.get();
                long from = start != null ? start : now - deadlineOf(cause);
                add(operation, Cause.HUNG_ATTEMPT, from, now);
            }
            add(operation, wait, now, now + delay.toNanos());
            if (wait == Cause.BACKOFF_5XX) backoffs.add(attempt + ":" + delay.toMillis());
        }
        attemptStart.set(now + delay.toNanos());
    }

    @Override
    public void onHedge(String backend, LlmOperation operation, Duration after) {
        // the time the first attempt ran before its hedge went out
        synchronized (this) {
            counts.merge(Cause.HEDGE_WAIT, 1, Integer::sum);
            intervals.add(new Interval(operation, Cause.HEDGE_WAIT, System.nanoTime() - after.toNanos(), System.nanoTime()));
        }
    }

    @Override
    public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
        long now = System.nanoTime();
        Long start = attemptStart.get();
        synchronized (this) {
            intervals.add(new Interval(operation, Cause.ATTEMPT, start != null ? start : now - elapsed.toNanos(), now));
        }
        attemptStart.remove();
    }

    @Override
    public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
        attemptStart.remove();
    }

    private void add(LlmOperation operation, Cause cause, long from, long to) {
        counts.merge(cause, 1, Integer::sum);
        intervals.add(new Interval(operation, cause, from, to));
    }

    /** The deadline a timed-out attempt had, as its message states it ("no complete response within N ms"). */
    private static long deadlineOf(LlmBackendException e) {
        var m = java.util.regex.Pattern.compile("within (\\d+) ms").matcher(String.valueOf(e.serverMessage()));
        return m.find() ? Duration.ofMillis(Long.parseLong(m.group(1))).toNanos() : 0;
    }

    /** Per operation and cause: how many events and the seconds of their union; "ALL" sums operations' unions per cause. */
    synchronized Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (LlmOperation op : LlmOperation.values()) {
            Map<String, Object> perCause = new LinkedHashMap<>();
            for (Cause c : Cause.values()) {
                if (c == Cause.ATTEMPT) continue;
                List<Interval> of = intervals.stream().filter(i -> i.operation() == op && i.cause() == c).toList();
                if (!of.isEmpty()) perCause.put(c.name(), Map.of("count", of.size(), "seconds", round(union(of))));
            }
            if (!perCause.isEmpty()) out.put(op.name(), perCause);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        for (Cause c : Cause.values()) {
            List<Interval> of = intervals.stream().filter(i -> i.cause() == c).toList();
            all.put(c.name(), Map.of("count", of.size(), "seconds", round(union(of))));
        }
        all.remove(Cause.ATTEMPT.name());
        List<Interval> waits = intervals.stream().filter(i -> i.cause() != Cause.HEDGE_WAIT && i.cause() != Cause.ATTEMPT).toList();
        all.put("ANY_RETRY_OR_HUNG", Map.of("count", waits.size(), "seconds", round(union(waits))));
        // time in which some call waited for that reason and no successful attempt was in flight: the run only waited
        List<Interval> busy = intervals.stream().filter(i -> i.cause() == Cause.ATTEMPT).toList();
        for (Cause c : List.of(Cause.RETRY_AFTER_429, Cause.BACKOFF_5XX, Cause.BACKOFF_TIMEOUT)) {
            all.put(c.name() + "_WITH_NOTHING_IN_FLIGHT", round(union(intervals.stream().filter(i -> i.cause() == c).toList())
                    - overlap(intervals.stream().filter(i -> i.cause() == c).toList(), busy)));
        }
        all.put("BACKOFF_5XX_ATTEMPT_AND_MS", String.join(" ", backoffs));
        out.put("ALL", all);
        return out;
    }

    private static double union(List<Interval> list) {
        List<Interval> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Interval::from));
        long total = 0;
        long end = Long.MIN_VALUE;
        for (Interval i : sorted) {
            if (i.to() <= end) continue;
            total += i.to() - Math.max(i.from(), end);
            end = i.to();
        }
        return total / 1e9;
    }

    /** The seconds in which both some interval of {@code a} and some of {@code b} run. */
    private static double overlap(List<Interval> a, List<Interval> b) {
        List<long[]> edges = new ArrayList<>(); // time, +1/-1 for a, +2/-2 for b
        a.forEach(i -> { edges.add(new long[]{i.from(), 1}); edges.add(new long[]{i.to(), -1}); });
        b.forEach(i -> { edges.add(new long[]{i.from(), 2}); edges.add(new long[]{i.to(), -2}); });
        edges.sort(Comparator.comparingLong(e -> e[0]));
        int inA = 0, inB = 0;
        long last = 0, total = 0;
        for (long[] e : edges) {
            if (inA > 0 && inB > 0) total += e[0] - last;
            last = e[0];
            if (Math.abs(e[1]) == 1) inA += (int) Math.signum(e[1]); else inB += (int) Math.signum(e[1]);
        }
        return total / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
