package io.dln.simulator.world;

import io.dln.tasks.Judgement;
import io.dln.tasks.TaskFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A forward call of the output layer: the continuation is a class answer. Which answer the model
 * believes in is drawn per example: a fixed number u for the example (plus a little jitter from the
 * instruction's wording) against the accuracy p the instruction earns; the right class gets
 * probability sigmoid(sharpness * (p - u)), so the greedy answer is right exactly when u < p and a
 * better instruction gets more examples right.
 */
record AnswerScene(int boundary, Candidates candidates) implements Scene {

    private static final Pattern OPTION = Pattern.compile("(?m)^(?:- (.+)|(\\([A-Z]\\)) .*)$");

    @Override
    public String kind() {
        return "answer";
    }

    static AnswerScene ofTask(int boundary, long seed, Skill skill, InputFacts.Facts facts, String instruction,
                              String input, String analysis) {
        TaskFamily family = facts.family();
        WorldTuning tuning = skill.tuning();
        Skill.Profile profile = skill.profile(family, instruction);
        int classes = family.outputClasses().size();
        Judgement judged = analysis == null ? Judgement.NONE : family.judge(input, analysis);
        double p = analysis == null
                ? skill.answerAccuracy(family, profile)
                : skill.answerAccuracy(family, profile, judged);
        double u = Draws.unit(seed, "answer", family.name(), input, judged.name())
                + tuning.promptJitter() * (Draws.unit(seed, "answer-jitter", profile.normalized(), input,
                analysis == null ? "" : analysis) - 0.5);
        double s = Draws.sigmoid(tuning.sharpness() * (p - u));
        double[] mass = spread(classes, facts.correct(), s, seed, input);
        OptionalInt forced = profile.forced();
        if (forced.isPresent()) {
            for (int i = 0; i < classes; i++) mass[i] = 0.1 * mass[i] + (i == forced.getAsInt() ? 0.9 : 0);
        }
        return new AnswerScene(boundary, classCandidates(family.outputClasses(), mass));
    }

    /** An input the world does not know but that lists options: the model favours one of them per input. */
    static AnswerScene ofOptions(int boundary, long seed, String input, List<String> options) {
        int favoured = (int) Math.floorMod(Draws.hash(seed, "favoured", input), (long) options.size());
        double s = 0.5 + 0.35 * Draws.unit(seed, "favoured-strength", input);
        return new AnswerScene(boundary, classCandidates(options, spread(options.size(), favoured, s, seed, input)));
    }

    /** Options listed as "- text" or "(A) text" lines, as verbalizer groups ("(A)|A" for lettered ones). */
    static List<String> options(String input) {
        int at = input.indexOf("Options:");
        if (at < 0) return List.of();
        List<String> options = new ArrayList<>();
        Matcher m = OPTION.matcher(input.substring(at));
        while (m.find()) {
            String option = m.group(1) != null ? m.group(1).strip().replace("|", "/")
                    : m.group(2) + "|" + m.group(2).charAt(1);
            if (!option.isBlank() && !options.contains(option)) options.add(option);
        }
        return options.size() >= 2 ? options : List.of();
    }

    /** Mass s on one class; the rest mostly on one plausible wrong class. */
    private static double[] spread(int classes, int chosen, double s, long seed, String input) {
        double[] mass = new double[classes];
        mass[chosen] = s;
        if (classes == 1) return mass;
        int plausible = Math.floorMod(chosen + 1 + (int) Math.floorMod(Draws.hash(seed, "plausible", input),
                (long) (classes - 1)), classes);
        double share = classes == 2 ? 1.0 : 0.8;
        mass[plausible] += share * (1 - s);
        for (int i = 0; i < classes; i++) {
            if (i != chosen && i != plausible) mass[i] += (1 - share) * (1 - s) / (classes - 2);
        }
        return mass;
    }

    /**
     * Each class's mass goes mostly to its prototype, a little to its other verbalizers; 3% goes to
     * wordier answers, the "filler" a real model sometimes starts with.
     */
    static Candidates classCandidates(List<String> classes, double[] mass) {
        Candidates.Builder b = Candidates.builder();
        int best = 0;
        for (int i = 0; i < classes.size(); i++) {
            if (mass[i] > mass[best]) best = i;
            String[] verbalizers = classes.get(i).split("\\|");
            double own = 0.97 * mass[i];
            if (verbalizers.length == 1) {
                b.add(verbalizers[0], own);
            } else {
                b.add(verbalizers[0], 0.92 * own);
                for (int v = 1; v < verbalizers.length; v++) b.add(verbalizers[v], 0.08 * own / (verbalizers.length - 1));
            }
        }
        String proto = classes.get(best).split("\\|")[0];
        b.add("The answer is " + proto + ".", 0.02);
        b.add("Answer: " + proto, 0.01);
        return b.build();
    }
}
