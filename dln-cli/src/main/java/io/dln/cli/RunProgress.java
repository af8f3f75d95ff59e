package io.dln.cli;

import io.dln.cli.gateway.Api;

import java.io.PrintStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
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
    private boolean ended;
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
        done = Math.min(run.iteration(), iterations); // runs trained before iterations were counted right show N + 1
        dev = run.devAccuracy() != null ? run.devAccuracy() : run.bestDevAccuracy();
        tokens = run.tokensUsed();
        ended = List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.status());
        step = switch (run.status()) {
            case "QUEUED" -> "queued, waiting for a trainer";
            case "PAUSED" -> PAUSED;
            case "RUNNING" -> done >= iterations ? "testing the best prompts" : "training";
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

    /** An ITERATION event carries the iteration's index (0 for the first); the other events the iterations done. */
    synchronized void event(Api.RunEvent e) {
        if (e.iterations() > 0) iterations = e.iterations();
        if (e.tokensUsed() > 0) tokens = e.tokensUsed();
        if (startNanos == null) startNanos = System.nanoTime();
        done = Math.min("ITERATION".equals(e.type()) ? e.iteration() + 1 : e.iteration(), iterations);
        switch (e.type()) {
            case "STARTED" -> step = "training";
            case "ITERATION" -> {
                if (e.devAccuracy() != null) dev = e.devAccuracy();
                step = done >= iterations ? "testing the best prompts"
                        : "training" + (e.batchAccuracy() == null ? "" : " (batch acc " + Format.percent(e.batchAccuracy()) + ")");
            }
            case "EVALUATING" -> step = "testing the best prompts";
            case "PAUSED" -> step = PAUSED;
            case "RESUMED" -> step = "resumed, waiting for a trainer";
            case "GUIDANCE" -> { // a person's guidance, applied when the run goes on: the step is unchanged
            }
            case "FINISHED" -> { // carries the best dev accuracy
                if (e.devAccuracy() != null) dev = e.devAccuracy();
                step = "finished";
                ended = true;
            }
            default -> {
                step = e.type().toLowerCase(Locale.ROOT);
                ended = true;
            }
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
        int units = iterations + 1; // testing the best prompts at the end is one more unit of work
        int reached = ended && "finished".equals(step) ? units : Math.min(done, iterations);
        int filled = (int) Math.round(WIDTH * reached / (double) units);
        long now = System.nanoTime();
        Duration elapsed = startNanos == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - startNanos));
        String content = String.format("[%s] iteration %d/%d  step: %s  dev %s  tokens %,d",
                "#".repeat(filled) + "-".repeat(WIDTH - filled), done, iterations, step, Format.percent(dev), tokens);
        String line = content + String.format("  elapsed %s  ETA %s", Format.duration(elapsed), eta(reached, units, now));
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
    private String eta(int reached, int units, long now) {
        if (reached >= units || ended) return "0:00";
        int left = units - reached;
        if (firstSeenDone != null && reached > firstSeenDone) {
            return Format.duration(Duration.ofNanos((now - firstSeenNanos) / (reached - firstSeenDone) * left));
        }
        if (startNanos != null && reached > 0) {
            return Format.duration(Duration.ofNanos((now - startNanos) / reached * left));
        }
        return "?";
    }
}
