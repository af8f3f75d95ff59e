package io.dln.cli;

import io.dln.cli.gateway.Api;

import java.io.PrintStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * The progress line of a run followed through the gateway: iterations done, step, dev accuracy, tokens, elapsed time
 * and ETA. On a terminal it is redrawn in place; otherwise each change is a new line.
 */
final class RunProgress {

    private static final int WIDTH = 24;
    private static final String PAUSED = "paused (go on with 'dln runs resume')";

    private final PrintStream out;
    private final boolean interactive;
    private int iterations;
    private int done;
    private Double dev;
    private long tokens;
    private String step = "waiting";
    /** When the run's clock started, in this JVM's nanoTime; set from the run's elapsed seconds or its first event. */
    private Long startNanos;
    private Integer firstSeenDone;
    private long firstSeenNanos;
    private String lastLine = "";
    private String lastContent = "";

    RunProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    synchronized void state(Api.Run run) {
        iterations = run.iterations();
        done = run.iteration();
        dev = run.devAccuracy() != null ? run.devAccuracy() : run.bestDevAccuracy();
        tokens = run.tokensUsed();
        step = switch (run.status()) {
            case "QUEUED" -> "queued, waiting for a trainer";
            case "PAUSED" -> PAUSED;
            case "RUNNING" -> done > iterations ? "testing the best prompts" : done == iterations ? "validating the last prompts" : "training";
            default -> run.status().toLowerCase(Locale.ROOT);
        };
        if (run.elapsedSeconds() != null && "RUNNING".equals(run.status())) {
            startNanos = System.nanoTime() - (long) (run.elapsedSeconds() * 1e9);
        } else if (run.startedAt() != null && "RUNNING".equals(run.status())) {
            startNanos = System.nanoTime() - Duration.between(OffsetDateTime.parse(run.startedAt()), OffsetDateTime.now()).toNanos();
        }
        observe();
        draw();
    }

    synchronized void event(Api.RunEvent e) {
        if (e.iterations() > 0) iterations = e.iterations();
        if (e.tokensUsed() > 0) tokens = e.tokensUsed();
        if (startNanos == null) startNanos = System.nanoTime();
        switch (e.type()) {
            case "STARTED" -> {
                done = e.iteration();
                step = "training";
            }
            case "ITERATION" -> { // iteration i validated the prompts of step i, then trained; i == iterations only validates
                done = e.iteration() + 1;
                if (e.devAccuracy() != null) dev = e.devAccuracy();
                step = done > iterations ? "testing the best prompts" : done == iterations ? "validating the last prompts"
                        : "training" + (e.batchAccuracy() == null ? "" : " (batch acc " + Format.percent(e.batchAccuracy()) + ")");
            }
            case "EVALUATING" -> {
                done = Math.max(done, iterations + 1);
                step = "testing the best prompts";
            }
            case "PAUSED" -> step = PAUSED;
            case "RESUMED" -> step = "resumed, waiting for a trainer";
            case "GUIDANCE" -> { // a person's guidance, applied when the run goes on: the step is unchanged
            }
            case "FINISHED" -> { // carries the best dev accuracy
                done = iterations + 1;
                if (e.devAccuracy() != null) dev = e.devAccuracy();
                step = "finished";
            }
            default -> step = e.type().toLowerCase(Locale.ROOT);
        }
        observe();
        draw();
    }

    /** Redraws the line so elapsed time and ETA move between events (terminal only). */
    synchronized void tick() {
        if (interactive) draw();
    }

    synchronized void finish() {
        if (interactive && !lastLine.isEmpty()) out.println();
        out.flush();
    }

    private void observe() {
        if (firstSeenDone == null) {
            firstSeenDone = done;
            firstSeenNanos = System.nanoTime();
        }
    }

    private void draw() {
        int steps = iterations + 1; // the validation of the last prompts is one more step
        int reached = Math.min(done, steps);
        int filled = steps == 0 ? 0 : (int) Math.round(WIDTH * reached / (double) steps);
        long now = System.nanoTime();
        Duration elapsed = startNanos == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - startNanos));
        String content = String.format("[%s] iteration %d/%d  step: %s  dev %s  tokens %,d",
                "#".repeat(filled) + "-".repeat(WIDTH - filled), Math.min(done, iterations), iterations, step,
                Format.percent(dev), tokens);
        String line = content + String.format("  elapsed %s  ETA %s", Format.duration(elapsed), eta(reached, steps, now));
        if (interactive) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            out.flush();
        } else if (!content.equals(lastContent)) {
            out.println(line); // one line per change, not per tick
        }
        lastLine = line;
        lastContent = content;
    }

    /** From the pace seen while watching, else from the run's own pace since it started. */
    private String eta(int reached, int steps, long now) {
        if (reached >= steps) return "0:00";
        int left = steps - reached;
        if (firstSeenDone != null && reached > firstSeenDone) {
            return Format.duration(Duration.ofNanos((now - firstSeenNanos) / (reached - firstSeenDone) * left));
        }
        if (startNanos != null && reached > 0) {
            return Format.duration(Duration.ofNanos((now - startNanos) / reached * left));
        }
        return "?";
    }
}
