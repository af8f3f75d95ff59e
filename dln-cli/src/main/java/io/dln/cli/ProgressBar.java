package io.dln.cli;

import io.dln.core.train.IterationReport;
import io.dln.core.train.TrainingListener;

import java.io.PrintStream;
import java.time.Duration;

/** One line on the terminal, redrawn as a run goes: iterations done, last dev accuracy, tokens, ETA. */
final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final int iterations;
    private final long startNanos = System.nanoTime();
    private final boolean interactive;
    private Double lastDev;
    private Double initialDev;
    private int done;
    private long tokens;

    ProgressBar(PrintStream out, int iterations, boolean interactive) {
        this.out = out;
        this.iterations = iterations;
        this.interactive = interactive;
    }

    @Override
    public void iterationDone(IterationReport report) {
        done = report.batchAccuracy() == null ? report.iteration() : report.iteration() + 1; // no batch: it stopped before its step
        tokens = report.tokensUsed();
        if (report.iteration() == 0 && report.startDevAccuracy() != null) initialDev = report.startDevAccuracy();
        if (report.devAccuracy() != null) lastDev = report.devAccuracy();
        else if (lastDev == null) lastDev = initialDev;
        draw(String.format("batch acc %s", report.batchAccuracy() == null ? "-" : percent(report.batchAccuracy())));
    }

    @Override
    public void evaluated(String split, int evaluated, int total) {
        if (!split.equals("dev")) draw(String.format("%s %d/%d", split, evaluated, total));
    }

    /** The dev accuracy of the initial prompts, or null when they were not validated. */
    Double initialDev() {
        return initialDev;
    }

    void finish() {
        if (interactive) out.println();
    }

    private void draw(String detail) {
        int units = iterations + 1; // testing the best prompts at the end is one more unit of work
        int steps = Math.min(done, iterations);
        int filled = (int) Math.round(WIDTH * steps / (double) units);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        String eta = steps == 0 ? "?" : format(elapsed.multipliedBy(Math.max(0, units - steps)).dividedBy(steps));
        String line = String.format("[%s] iteration %d/%d  dev %s  tokens %,d  %s  elapsed %s  ETA %s",
                bar, Math.min(done, iterations), iterations, lastDev == null ? "-" : percent(lastDev), tokens, detail,
                format(elapsed), eta);
        if (interactive) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String percent(double value) {
        return String.format("%.1f%%", 100 * value);
    }

    private static String format(Duration d) {
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
