package io.dln.llm;

import java.time.Duration;
import java.util.function.Supplier;

/** The deadline of the attempt running on this thread, set by {@link CallGuard} and read by {@link HttpTransport}. */
final class AttemptDeadline {

    private static final ThreadLocal<Duration> CURRENT = new ThreadLocal<>();

    private AttemptDeadline() {
    }

    static <T> T within(Duration deadline, Supplier<T> attempt) {
        Duration outer = CURRENT.get();
        CURRENT.set(deadline);
        try {
            return attempt.get();
        } finally {
            if (outer == null) CURRENT.remove(); else CURRENT.set(outer);
        }
    }

    /** This attempt's deadline, or {@code timeout} when none is set or the timeout is shorter. */
    static Duration currentOr(Duration timeout) {
        Duration d = CURRENT.get();
        return d == null || d.compareTo(timeout) > 0 ? timeout : d;
    }
}
