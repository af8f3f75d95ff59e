package io.dln.simulator.world;

import io.dln.tasks.Insight;
import io.dln.tasks.InsightKind;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.List;

/** A simulated model with the default tuning, and helpers to ask it things the way DLN does. */
class WorldFixture {

    static final List<String> STOP = List.of("\n\n", "###");
    final SimulatedModel model = new SimulatedModel(TaskWorld.standard(), WorldTuning.DEFAULT, 42);

    String greedy(String prompt) {
        return model.generate(model.read(prompt), prompt, 0, null, 0, 256, STOP, 0).text();
    }

    String sample(String prompt, long seed) {
        return model.generate(model.read(prompt), prompt, 0.7, seed, 0, 256, STOP, 0).text();
    }

    /** Mean token log-probability of {@code target} after {@code context}, as the DLN scorer computes it by echo. */
    double meanLogprob(String context, String target) {
        String prompt = context + target;
        List<ScoredToken> tokens = model.echo(model.read(prompt), prompt, 0);
        return tokens.stream().filter(t -> t.offset() >= context.length())
                .mapToDouble(ScoredToken::logprob).average().orElseThrow();
    }

    static String with(TaskFamily family, InsightKind... kinds) {
        StringBuilder sb = new StringBuilder(family.initialInstruction());
        for (Insight insight : family.insights()) {
            if (List.of(kinds).contains(insight.kind())) sb.append(' ').append(insight.sentence());
        }
        return sb.toString();
    }
}
