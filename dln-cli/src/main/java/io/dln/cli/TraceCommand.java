package io.dln.cli;

import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/** {@code dln runs trace RUN N}: what the step of one iteration saw, as the Studio's step explorer shows it. */
@Command(name = "trace", description = "Show what the step of iteration N saw: prompts before and after, each example of its batch "
        + "with the hidden text, answer and posterior samples h~ with their weights, and every candidate with its score.")
final class TraceCommand implements Callable<Integer> {

    /** Texts are shown on one line, cut to this many characters unless --full is given. */
    static final int SHOWN = 160;

    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Option(names = "--json", description = "Print the trace as the gateway answered it.") boolean json;
    @Option(names = "--full", description = "Show texts whole instead of one line each.") boolean full;
    @Parameters(index = "0", paramLabel = "RUN_ID") String id;
    @Parameters(index = "1", paramLabel = "N", description = "The iteration, counted from 1 as in 'dln runs show --history'.") int n;

    @Override
    public Integer call() {
        if (n < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "N counts iterations from 1, was " + n);
        Api.Trace trace = gateway.client().get("/api/runs/" + RunsCommand.runId(spec, id) + "/iterations/" + (n - 1) + "/trace",
                Api.Trace.class);
        if (json) System.out.println(Json.pretty(trace));
        else print(trace, System.out);
        return ExitCodes.OK;
    }

    void print(Api.Trace t, PrintStream out) {
        out.printf("Run %s, iteration %d (DLN-%d): batch accuracy %s, dev %s, ELBO %s%s, %,d tokens so far%n", t.runId(),
                t.iteration() + 1, t.layers(), Format.percent(t.batchAccuracy()), Format.percent(t.devAccuracy()), number(t.elbo()),
                t.layers() == 2 ? " (hidden " + number(t.elbo1()) + ", output " + number(t.elbo2()) + ")" : "", t.tokensUsed());
        out.println();
        if (t.layers() == 2) prompts(out, "Hidden prompt (p1)", t.previousIterationPrompts().p1(), t.promptsBefore().p1(), t.promptsAfter().p1());
        prompts(out, "Output prompt (p2)", t.previousIterationPrompts().p2(), t.promptsBefore().p2(), t.promptsAfter().p2());
        if (t.guidance() != null && !t.guidance().isEmpty()) {
            out.println("Guidance applied at the start of this step:");
            for (Api.Guidance g : t.guidance()) {
                out.printf("  %s layer %d by %s: %s%n", g.action(), g.layer(), g.author(), text(g.prompt() != null ? g.prompt() : g.text()));
            }
            out.println();
        }
        out.printf("Examples (%d of the batch's %d):%n", t.examples().size(), t.batchSize());
        for (Api.TracedExample e : t.examples()) {
            out.printf("  #%d %s  target: %s  output: %s%n", e.index() + 1, e.correct() ? "right" : "WRONG", text(e.target()), text(e.output()));
            out.printf("     input:  %s%n", text(e.input()));
            if (e.hidden() != null) out.printf("     hidden: %s%n", text(e.hidden()));
            for (Api.HiddenSample s : e.posteriorSamples()) {
                out.printf("     h~ weight %.3f%s: %s%n", s.weight(),
                        s.logLikelihood() == null ? "" : ", log p(y|h~) " + number(s.logLikelihood()), text(s.text()));
            }
        }
        candidates(out, "hidden layer (p1)", t.candidates().get("p1"));
        candidates(out, "output layer (p2)", t.candidates().get("p2"));
    }

    private void prompts(PrintStream out, String title, String previous, String before, String after) {
        out.println(title + ":");
        if (!Objects.equals(previous, before)) out.printf("  previous: %s%n", text(previous));
        out.printf("  before:   %s%n", text(before));
        out.printf("  after:    %s%n", Objects.equals(before, after) ? "(unchanged)" : text(after));
        out.println();
    }

    private void candidates(PrintStream out, String layer, List<Api.Candidate> candidates) {
        if (candidates == null || candidates.isEmpty()) return;
        out.println();
        out.printf("Candidates of the %s, * chosen:%n", layer);
        for (Api.Candidate c : candidates) {
            out.printf("  %s %9s  %-8s  %s%n", c.chosen() ? "*" : " ", number(c.score()), c.origin() == null ? "" : c.origin(), text(c.prompt()));
        }
    }

    private String text(String value) {
        if (value == null) return "-";
        if (full) return value;
        String line = value.strip().replaceAll("\\s*\\n\\s*", " / ");
        return line.length() > SHOWN ? line.substring(0, SHOWN - 3) + "..." : line;
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format("%.3f", value);
    }
}
