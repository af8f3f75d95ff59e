package io.dln.llm;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One HTTP attempt as {@link CallGuard} runs it: its deadline, and a way for another thread to cancel it (the hedge of a
 * call that answered first). {@link HttpTransport} reads it from the attempt's thread and registers its exchange here, so
 * that cancelling aborts the exchange without interrupting the thread, which may be the caller's own.
 */
final class AttemptContext {

    private static final ThreadLocal<AttemptContext> CURRENT = new ThreadLocal<>();

    private final Duration deadline;
    private volatile boolean cancelled;
    private volatile Future<?> exchange;

    AttemptContext(Duration deadline) {
        this.deadline = deadline;
    }

    <T> T run(Supplier<T> attempt) {
        AttemptContext outer = CURRENT.get();
        CURRENT.set(this);
        try {
            if (cancelled) throw new CancellationException("the attempt was cancelled before it was sent");
            return attempt.get();
        } finally {
            if (outer == null) CURRENT.remove(); else CURRENT.set(outer);
        }
    }

    /** This thread's attempt's deadline, or {@code timeout} when there is none or the timeout is shorter. */
    static Duration deadlineOr(Duration timeout) {
        AttemptContext c = CURRENT.get();
        return c == null || c.deadline.compareTo(timeout) > 0 ? timeout : c.deadline;
    }

    /** Called by the transport with the exchange it started on this thread. */
    static void register(Future<?> started) {
        AttemptContext c = CURRENT.get();
        if (c == null) return;
        c.exchange = started;
        if (c.cancelled) started.cancel(true);
    }

    void cancel() {
        cancelled = true;
        Future<?> e = exchange;
        if (e != null) e.cancel(true);
    }

    boolean cancelled() {
        return cancelled;
    }
}
