package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.PredictionNormalizer;

/**
 * Which output class an example's target belongs to. A target belongs to the class one of whose
 * verbalizers it is; failing that, to the class with a verbalizer that normalises to the same
 * word ({@link PredictionNormalizer}), so that "(A)" finds "a|A". A target that matches no class,
 * or several, has none.
 */
public final class TargetClasses {

    private TargetClasses() {
    }

    /** The class index of {@code target}, or -1 when no single class matches it. */
    public static int indexOf(OutputClasses classes, String target) {
        int exact = single(classes, target, false);
        if (exact != NONE) return exact;
        if (PredictionNormalizer.normalize(target).isEmpty()) return -1;
        int normalized = single(classes, target, true);
        return normalized == NONE ? -1 : normalized;
    }

    private static final int NONE = -2;
    private static final int SEVERAL = -1;

    private static int single(OutputClasses classes, String target, boolean normalized) {
        String wanted = normalized ? PredictionNormalizer.normalize(target) : target;
        int found = NONE;
        for (int i = 0; i < classes.size(); i++) {
            boolean match = classes.verbalizers(i).stream()
                    .anyMatch(v -> (normalized ? PredictionNormalizer.normalize(v) : v).equals(wanted));
            if (match) {
                if (found != NONE) return SEVERAL;
                found = i;
            }
        }
        return found;
    }
}
