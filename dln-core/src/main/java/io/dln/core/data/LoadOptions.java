package io.dln.core.data;

/**
 * How to load a task.
 *
 * @param seed          picks the split of data sets without fixed splits and the subsample
 *                      kept under a cap; the same seed gives the same examples on every JVM
 * @param appendOptions for tasks with label words, end each input with "Options:" and one
 *                      "- word" line per label word, as the DLN paper's prompts do
 * @param maxTrain      keep at most this many training examples (a seeded subsample)
 * @param maxDev        the same for dev
 * @param maxTest       the same for test
 */
public record LoadOptions(long seed, boolean appendOptions, int maxTrain, int maxDev, int maxTest) {

    public static final int NO_CAP = Integer.MAX_VALUE;

    public LoadOptions {
        if (maxTrain < 1 || maxDev < 1 || maxTest < 1) {
            throw new IllegalArgumentException("split caps must be at least 1: " + maxTrain + "/" + maxDev + "/" + maxTest);
        }
    }

    /** Options appended, no caps. */
    public static LoadOptions seed(long seed) {
        return new LoadOptions(seed, true, NO_CAP, NO_CAP, NO_CAP);
    }

    public LoadOptions withCaps(int maxTrain, int maxDev, int maxTest) {
        return new LoadOptions(seed, appendOptions, maxTrain, maxDev, maxTest);
    }

    public LoadOptions withAppendOptions(boolean appendOptions) {
        return new LoadOptions(seed, appendOptions, maxTrain, maxDev, maxTest);
    }

    int cap(Split split) {
        return switch (split) {
            case TRAIN -> maxTrain;
            case DEV -> maxDev;
            case TEST -> maxTest;
        };
    }
}
