package io.dln.simulator.world;

import java.util.SplittableRandom;

/**
 * Deterministic draws: every random choice of the simulator is a hash of its seed and of the
 * texts that identify the choice, so the same request always gets the same answer.
 */
public final class Draws {

    private Draws() {
    }

    public static long hash(long seed, String... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (String part : parts) {
            h = mix(h ^ part.length());
            for (int i = 0; i < part.length(); i++) {
                h = (h ^ part.charAt(i)) * 0x100000001B3L;
            }
            h = mix(h);
        }
        return h;
    }

    public static long hash(long seed, long value, String... parts) {
        return hash(mix(seed ^ mix(value)), parts);
    }

    /** A number in [0, 1) fixed by the seed and the parts. */
    public static double unit(long seed, String... parts) {
        return (hash(seed, parts) >>> 11) * 0x1.0p-53;
    }

    public static SplittableRandom random(long seed, String... parts) {
        return new SplittableRandom(hash(seed, parts));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
