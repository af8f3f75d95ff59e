package io.dln.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long one HTTP attempt may take, learnt from the backend's recent successful attempts of the same kind
 * (operation and size), so that a hung call costs about one normal call's time rather than the whole timeout.
 * <ul>
 *   <li>deadline: {@code deadlineFactor} × the {@code deadlineQuantile} of recent latencies, kept between
 *       {@code deadlineFloor} and the backend's {@code timeout}; until {@code minSamples} are known, the timeout.
 *       A retry after a timed-out attempt gets twice the deadline of the one before (at most the timeout), so a
 *       backend that has become slower is not cut off for good;</li>
 *   <li>hedge: once an attempt has run {@code hedgeFactor} × the {@code hedgeQuantile} of recent latencies (at least
 *       {@code hedgeFloor}), the same request is sent once more; the first answer wins and the other is cancelled.
 *       Requests are the same (same seed), so the answer is too. A call sent before any latency was known (a fresh
 *       client's first calls go out together) looks again after 1 s, then 2, 4, ... for a hedge point that the calls
 *       answered meanwhile give, so that one of them that hangs does not wait for the whole timeout.</li>
 * </ul>
 */
public record AttemptTiming(int minSamples, double deadlineQuantile, double deadlineFactor, Duration deadlineFloor,
                            boolean hedging, double hedgeQuantile, double hedgeFactor, Duration hedgeFloor) {

    public static final AttemptTiming DEFAULT =
            new AttemptTiming(5, 0.99, 3.0, Duration.ofSeconds(2), true, 0.95, 1.5, Duration.ofMillis(50));

    /** Only the backend's timeout bounds an attempt, and nothing is hedged: the behaviour before adaptive deadlines. */
    public static final AttemptTiming FIXED_TIMEOUT =
            new AttemptTiming(Integer.MAX_VALUE, 0.99, 1.0, Duration.ofSeconds(1), false, 0.95, 1.0, Duration.ofMillis(1));

    public AttemptTiming {
        List<String> problems = new ArrayList<>();
        if (minSamples < 1) problems.add("minSamples must be at least 1, was " + minSamples);
        if (!(deadlineQuantile > 0 && deadlineQuantile <= 1)) problems.add("deadline quantile must be in (0, 1], was " + deadlineQuantile);
        if (!(deadlineFactor >= 1 && deadlineFactor <= 100)) problems.add("deadline factor must be in [1, 100], was " + deadlineFactor);
        if (deadlineFloor == null || deadlineFloor.isNegative() || deadlineFloor.isZero()) problems.add("deadline floor must be positive");
        if (!(hedgeQuantile > 0 && hedgeQuantile <= 1)) problems.add("hedge quantile must be in (0, 1], was " + hedgeQuantile);
        if (!(hedgeFactor >= 1 && hedgeFactor <= 100)) problems.add("hedge factor must be in [1, 100], was " + hedgeFactor);
        if (hedgeFloor == null || hedgeFloor.isNegative() || hedgeFloor.isZero()) problems.add("hedge floor must be positive");
        if (!problems.isEmpty()) throw new IllegalArgumentException("invalid attempt timing: " + String.join("; ", problems));
    }
}
