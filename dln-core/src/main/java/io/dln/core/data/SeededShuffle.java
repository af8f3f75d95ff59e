package io.dln.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fisher-Yates shuffle driven by {@link Random}, whose algorithm its Javadoc fixes, so a seed gives
 * the same order on every JVM. It gives the order Collections.shuffle(list, new Random(seed))
 * gives today, but is written out so that our splits do not hang on that method's implementation.
 */
final class SeededShuffle {

    private SeededShuffle() {
    }

    static <T> List<T> shuffle(List<T> items, long seed) {
        List<T> out = new ArrayList<>(items);
        Random random = new Random(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            Collections.swap(out, i, random.nextInt(i + 1));
        }
        return out;
    }
}
