package io.dln.cli;

import io.dln.cli.gateway.Api;

import java.io.PrintStream;
import java.time.Duration;

/** A run in a few lines: how it ended, its accuracies and best prompts, tokens, and the DLN it registered. */
final class RunSummary {

    private RunSummary() {
    }

    static void print(Api.Run r, PrintStream out, boolean details) {
        String time = r.elapsedSeconds() == null ? "" : " in " + Format.duration(Duration.ofMillis((long) (r.elapsedSeconds() * 1000)));
        out.printf("Run %s %s: DLN-%d '%s', iteration %d/%d%s%n", r.id(), r.status(), r.layers(), r.modelName(),
                Math.min(r.iteration(), r.iterations()), r.iterations(), time);
        if (details) {
            out.printf("Data set:             %s%n", r.datasetId());
            if (r.backends() != null) {
                out.printf("Backends:             forward %s, backward %s, scoring %s%n", r.backends().forward(),
                        r.backends().backward(), r.backends().scoring());
            }
            out.printf("Seed:                 %d%n", r.seed());
            out.printf("Created:              %s%n", Format.time(r.createdAt()));
        }
        if (r.bestDevAccuracy() != null) out.printf("Best dev accuracy:    %s%n", Format.percent(r.bestDevAccuracy()));
        if (r.testAccuracy() != null) out.printf("Test accuracy:        %s%n", Format.percent(r.testAccuracy()));
        if (r.bestPrompts() != null) {
            if (r.layers() == 2 && r.bestPrompts().p1() != null) out.printf("Best hidden prompt:   %s%n", oneLine(r.bestPrompts().p1()));
            if (r.bestPrompts().p2() != null) out.printf("Best output prompt:   %s%n", oneLine(r.bestPrompts().p2()));
        }
        out.printf("Tokens used:          %,d%s%n", r.tokensUsed(), r.tokenBudget() == null ? "" : String.format(" of %,d", r.tokenBudget()));
        if (r.tokensSent() != null) {
            out.printf("  sent to backends:   %,d (saved by the scorer's cache: %,d)%n", r.tokensSent(),
                    r.tokensSavedByCache() == null ? 0 : r.tokensSavedByCache());
        }
        if (r.cancelRequested() && !r.terminal()) out.println("Cancel requested:     yes");
        if (r.error() != null) out.printf("Error:                %s%n", r.error());
        if (r.modelVersion() != null) {
            out.printf("Registered:           %s version %d (OpenAI model dln/%s:%d)%n", r.modelName(), r.modelVersion(),
                    r.modelName(), r.modelVersion());
        }
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\n\\s*", " / ");
    }
}
