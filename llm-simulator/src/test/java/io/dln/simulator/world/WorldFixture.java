package io.dln.simulator.world;

import io.dln.tasks.Insight;
import io.dln.tasks.InsightKind;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.List;

/** A simulated model with the default tuning, and helpers to ask it things the way DLN does. */
class WorldFixture {

    /** The stops of DLN's answer and proposal templates. */
    static final List<String> STOP = List.of("\n\n", "###");
    /** The stops of its analysis and posterior templates: an analysis may run to several paragraphs. */
    static final List<String> ANALYSIS_STOP = List.of("###");
    final SimulatedModel model = new SimulatedModel(TaskWorld.standard(), WorldTuning.DEFAULT, 42);
    /** What analyses are cut at; tests of the old blank-line stop set it to {@link #STOP}. */
    List<String> analysisStop = ANALYSIS_STOP;

    String greedy(String prompt) {
        return asDlnKeepsIt(prompt, model.generate(model.read(prompt), prompt, 0, null, 0, 256, stopFor(prompt), 0).text());
    }

    String sample(String prompt, long seed) {
        return asDlnKeepsIt(prompt, model.generate(model.read(prompt), prompt, 0.7, seed, 0, 256, stopFor(prompt), 0).text());
    }

    private List<String> stopFor(String prompt) {
        return isAnalysis(prompt) ? analysisStop : STOP;
    }

    /** DLN keeps an analysis with its blank lines made single line breaks. */
    private static String asDlnKeepsIt(String prompt, String text) {
        return isAnalysis(prompt) ? text.replace("\n\n", "\n").strip() : text;
    }

    private static boolean isAnalysis(String prompt) {
        return prompt.endsWith("### Analysis\n") || prompt.endsWith("### Another analysis\n")
                || prompt.endsWith("### Analysis that leads to the correct answer\n");
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
