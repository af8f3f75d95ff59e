package io.dln.simulator.world;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bare DLN-1 loop against the simulated model (propose with the backward template, score by
 * log-likelihood, keep the best): the point of the simulator is that such training visibly learns.
 */
class MiniDlnTest extends WorldFixture {

    static Stream<TaskFamily> families() {
        return TaskWorld.standard().families().stream();
    }

    private double accuracy(TaskFamily family, String instruction, List<TaskExample> examples) {
        return examples.stream().filter(e -> greedy(Templates.forward(instruction, e.input())).equals(e.target())).count()
                / (double) examples.size();
    }

    private double score(String instruction, List<TaskExample> batch) {
        return batch.stream().mapToDouble(e -> meanLogprob(Templates.forward(instruction, e.input()), e.target()))
                .average().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("families")
    void oneLayerTrainingImprovesThePrompt(TaskFamily family) {
        List<TaskExample> train = family.generate(41, 60);
        List<TaskExample> test = family.generate(42, 200);
        String prompt = family.initialInstruction();
        double before = accuracy(family, prompt, test);
        long seed = 0;
        for (int step = 0; step < 6; step++) {
            List<TaskExample> batch = train.subList(10 * step, 10 * step + 10);
            List<Templates.Shown> shown = new ArrayList<>();
            for (TaskExample e : batch) {
                String out = greedy(Templates.forward(prompt, e.input()));
                shown.add(new Templates.Shown(e.input(), out, e.target(), out.equals(e.target())));
            }
            List<String> candidates = new ArrayList<>(List.of(prompt));
            for (int k = 0; k < 5; k++) {
                candidates.add(sample(Templates.backward(prompt, Templates.MESSAGES.get(k % 4), shown), seed++));
            }
            String best = prompt;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (String c : candidates) {
                double s = score(c, batch);
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            prompt = best;
        }
        double after = accuracy(family, prompt, test);
        System.out.printf("%s DLN-1 on the simulator: test accuracy %.2f -> %.2f with \"%s\"%n", family.name(), before, after, prompt);
        assertTrue(after > before + 0.08, before + " -> " + after + ": " + prompt);
    }

    private double twoLayerAccuracy(String p1, String p2, List<TaskExample> examples) {
        return examples.stream().filter(e -> {
            String h = greedy(Templates.hidden(p1, e.input()));
            return greedy(Templates.forward(p2, Templates.residual(e.input(), h))).equals(e.target());
        }).count() / (double) examples.size();
    }

    /** A bare DLN-2 step loop: posterior samples of the analysis, weights, ELBO scoring of both layers' proposals. */
    @ParameterizedTest
    @MethodSource("families")
    void twoLayerTrainingBeatsTheOneLayerCeiling(TaskFamily family) {
        double[] result = twoLayerTraining(family);
        assertTrue(result[1] > 0.82, result[0] + " -> " + result[1]);
    }

    /**
     * The working is in an analysis's second paragraph: analyses cut at their first blank line (the stop DLN's
     * hidden templates had before version 2) state nothing, and DLN-2 stays at the one-layer ceiling.
     */
    @ParameterizedTest
    @MethodSource("families")
    void analysesCutAtTheFirstBlankLineLoseWhatTheOutputLayerNeeds(TaskFamily family) {
        analysisStop = STOP;
        double[] cut = twoLayerTraining(family);
        System.out.printf("%s DLN-2 with analyses cut at the first blank line: test accuracy %.2f -> %.2f%n", family.name(), cut[0], cut[1]);
        assertTrue(cut[1] < 0.82, "cut analyses: " + cut[0] + " -> " + cut[1]);
    }

    /** Test accuracy before and after four DLN-2 steps. */
    private double[] twoLayerTraining(TaskFamily family) {
        List<TaskExample> train = family.generate(51, 40);
        List<TaskExample> test = family.generate(52, 150);
        String p1 = "";
        String p2 = family.initialInstruction();
        double before = twoLayerAccuracy(p1, p2, test);
        long seed = 100;
        for (int step = 0; step < 4; step++) {
            List<TaskExample> batch = train.subList(10 * step, 10 * step + 10);
            List<List<String>> samples = new ArrayList<>();
            List<double[]> weights = new ArrayList<>();
            List<Templates.Shown> hiddenShown = new ArrayList<>();
            List<Templates.Shown> outputShown = new ArrayList<>();
            for (TaskExample e : batch) {
                String h = greedy(Templates.hidden(p1, e.input()));
                String y = greedy(Templates.forward(p2, Templates.residual(e.input(), h)));
                List<String> hs = new ArrayList<>();
                for (int s = 0; s < 3; s++) hs.add(sample(Templates.posteriorWithAnswer(p1, e.input(), e.target()), seed++));
                double[] w = new double[hs.size()];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < hs.size(); s++) {
                    w[s] = meanLogprob(Templates.forward(p2, Templates.residual(e.input(), hs.get(s))), e.target())
                            + meanLogprob(Templates.hidden(p1, e.input()), hs.get(s));
                    max = Math.max(max, w[s]);
                }
                double sum = 0;
                int best = 0;
                for (int s = 0; s < w.length; s++) {
                    w[s] = Math.exp(w[s] - max);
                    sum += w[s];
                    if (w[s] > w[best]) best = s;
                }
                for (int s = 0; s < w.length; s++) w[s] /= sum;
                samples.add(hs);
                weights.add(w);
                hiddenShown.add(new Templates.Shown(e.input(), h, hs.get(best), h.equals(hs.get(best))));
                outputShown.add(new Templates.Shown(Templates.residual(e.input(), h), y, e.target(), y.equals(e.target())));
            }
            String bestP2 = p2;
            double bestElbo2 = Double.NEGATIVE_INFINITY;
            List<String> c2 = new ArrayList<>(List.of(p2));
            for (int k = 0; k < 4; k++) c2.add(sample(Templates.backward(p2, Templates.MESSAGES.get(k), outputShown), seed++));
            for (String c : c2) {
                double elbo = 0;
                for (int i = 0; i < batch.size(); i++) {
                    for (int s = 0; s < 3; s++) {
                        elbo += weights.get(i)[s] * meanLogprob(
                                Templates.forward(c, Templates.residual(batch.get(i).input(), samples.get(i).get(s))), batch.get(i).target());
                    }
                }
                if (elbo > bestElbo2) {
                    bestElbo2 = elbo;
                    bestP2 = c;
                }
            }
            String bestP1 = p1;
            double bestElbo1 = Double.NEGATIVE_INFINITY;
            List<String> c1 = new ArrayList<>(List.of(p1));
            for (int k = 0; k < 4; k++) c1.add(sample(Templates.backward(p1, Templates.MESSAGES.get(k), hiddenShown), seed++));
            for (String c : c1) {
                double elbo = 0;
                for (int i = 0; i < batch.size(); i++) {
                    for (int s = 0; s < 3; s++) {
                        elbo += weights.get(i)[s] * meanLogprob(Templates.hidden(c, batch.get(i).input()), samples.get(i).get(s));
                    }
                }
                if (elbo > bestElbo1) {
                    bestElbo1 = elbo;
                    bestP1 = c;
                }
            }
            p1 = bestP1;
            p2 = bestP2;
        }
        double after = twoLayerAccuracy(p1, p2, test);
        System.out.printf("%s DLN-2 on the simulator: test accuracy %.2f -> %.2f with%n  hidden \"%s\"%n  output \"%s\"%n",
                family.name(), before, after, p1, p2);
        return new double[]{before, after};
    }
}
