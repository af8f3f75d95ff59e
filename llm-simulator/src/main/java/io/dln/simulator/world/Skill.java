package io.dln.simulator.world;

import io.dln.tasks.Insight;
import io.dln.tasks.InsightKind;
import io.dln.tasks.Judgement;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.Texts;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How good the simulated model is at a task, given what an instruction says. */
final class Skill {

    private static final Pattern ALWAYS = Pattern.compile(
            "\\balways (?:answer|reply|respond|say)(?: with)?\\s+[\"']?([\\p{L}\\p{N}()]+)");
    private static final double FLOOR = 0.02;

    /** What an instruction carries for a family: insight gains by kind, a forced class, an order to guess. */
    record Profile(double answerGains, double reasoningGains, OptionalInt forced, boolean guessing, String normalized) {
    }

    private final WorldTuning tuning;
    private final BoundedCache<String, Profile> profiles = new BoundedCache<>(20_000);

    Skill(WorldTuning tuning) {
        this.tuning = tuning;
    }

    WorldTuning tuning() {
        return tuning;
    }

    Profile profile(TaskFamily family, String instruction) {
        return profiles.get(family.name() + '\u0000' + instruction, k -> {
            String squashed = Texts.squash(instruction);
            double answer = 0, reasoning = 0;
            for (Insight insight : family.insights()) {
                if (!insight.presentInSquashed(squashed)) continue;
                if (insight.kind() == InsightKind.ANSWER) answer += insight.gain();
                else reasoning += insight.gain();
            }
            return new Profile(answer, reasoning, forcedClass(family, squashed), guessing(squashed), squashed);
        });
    }

    /** Accuracy of a one-layer answer: answer insights count fully, reasoning ones partly (there is no room to reason). */
    double answerAccuracy(TaskFamily family, Profile p) {
        double acc = family.baseAccuracy() + p.answerGains() + 0.4 * p.reasoningGains();
        return clamp(Math.min(acc, tuning.oneLayerCap()));
    }

    /** Accuracy of an answer whose input holds an analysis that the family judged. */
    double answerAccuracy(TaskFamily family, Profile p, Judgement analysis) {
        return switch (analysis) {
            case RIGHT -> clamp(Math.min(0.98, tuning.rightAnalysisAccuracy() + 0.5 * p.answerGains()));
            case WRONG -> clamp(tuning.wrongAnalysisAccuracy());
            case NONE -> answerAccuracy(family, p);
        };
    }

    /** Chance that an analysis written under this instruction states the right intermediate result. */
    double analysisAccuracy(TaskFamily family, Profile p) {
        double q = Math.min(family.baseReasoning() + p.reasoningGains() + 0.2 * p.answerGains(), tuning.analysisCap());
        return clamp(p.guessing() ? 0.3 * q : q);
    }

    /** Chance that an analysis written knowing the correct answer states the right intermediate result. */
    double informedAnalysisAccuracy(Profile p) {
        return clamp(Math.min(0.97, 0.85 + 0.5 * p.reasoningGains()));
    }

    /** The class an instruction such as "Always answer Yes." forces, if any. */
    static OptionalInt forcedClass(TaskFamily family, String instruction) {
        Matcher m = ALWAYS.matcher(instruction.toLowerCase(Locale.ROOT));
        while (m.find()) {
            int c = family.classIndex(m.group(1));
            if (c >= 0) return OptionalInt.of(c);
        }
        return OptionalInt.empty();
    }

    /** Instructions that tell the analysis layer not to work anything out. */
    static boolean guessing(String instruction) {
        String text = instruction.toLowerCase(Locale.ROOT);
        return text.contains("just guess") || text.contains("do not work anything out");
    }

    private static double clamp(double p) {
        return Math.max(FLOOR, Math.min(1 - FLOOR, p));
    }
}
