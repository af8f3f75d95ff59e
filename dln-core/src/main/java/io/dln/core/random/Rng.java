package io.dln.core.random;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded random source whose whole state is one long (SplitMix64), so a training checkpoint can
 * store it and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public Rng(long state) {
        this.state = state;
    }

    public static Rng seeded(long seed) {
        return new Rng(mix(seed));
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, was " + bound);
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A seed for one LLM request: non-negative, since OpenAI-compatible servers reject negative seeds. */
    public long nextSeed() {
        return nextLong() >>> 33;
    }

    public <T> List<T> shuffled(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            T tmp = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, tmp);
        }
        return copy;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
