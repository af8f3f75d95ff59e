package io.dln.core.lm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a first-token top-k distribution into a distribution over output classes.
 * <p>
 * A verbalizer counts with and without a leading space. A verbalizer missing from the top-k gets the
 * smallest probability the top-k shows (1e-6 when it is empty), since it is at most that likely; every
 * class also starts from that floor, so a class none of whose verbalizers appear keeps a small share
 * instead of zero, and the log of its probability stays finite.
 */
public final class ClassRenormalization {

    static final double EMPTY_TOP_FLOOR = 1e-6;

    private ClassRenormalization() {
    }

    public static List<Double> fromTopLogprobs(Map<String, Double> topLogprobs, OutputClasses classes,
                                               VerbalizerAggregation aggregation) {
        double floor = topLogprobs.isEmpty()
                ? EMPTY_TOP_FLOOR
                : Math.exp(topLogprobs.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        double[] mass = new double[classes.size()];
        double total = 0;
        for (int c = 0; c < classes.size(); c++) {
            Set<String> forms = new LinkedHashSet<>();
            for (String v : classes.verbalizers(c)) {
                forms.add(v);
                forms.add(" " + v);
            }
            double combined = 0;
            for (String form : forms) {
                Double lp = topLogprobs.get(form);
                double p = lp == null ? floor : Math.exp(lp);
                combined = aggregation == VerbalizerAggregation.MAX ? Math.max(combined, p) : combined + p;
            }
            mass[c] = floor + combined;
            total += mass[c];
        }
        List<Double> probabilities = new ArrayList<>(classes.size());
        for (double m : mass) probabilities.add(m / total);
        return probabilities;
    }
}
