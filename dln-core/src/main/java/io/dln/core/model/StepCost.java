package io.dln.core.model;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one training step and one validation can cost before any call is made: LLM calls (each one prompt) and
 * the memory their prompts hold while they are under way. Both are upper bounds: they count every candidate
 * the settings allow (proposals plus remembered prompts) and every generated text at its token limit, at
 * {@link #CHARS_PER_TOKEN} characters a token; repeated scores that the step asks only once make the real
 * figures smaller. A run whose step cannot fit under the {@link Ceilings} is refused before it starts, naming
 * the settings that drive the cost.
 *
 * @param callsPerStep       LLM calls of one training step
 * @param callsPerValidation LLM calls of one validation on the dev split
 * @param stepMemoryBytes    memory the prompts of one step's calls may hold together
 */
public record StepCost(long callsPerStep, long callsPerValidation, long stepMemoryBytes) {

    /** Characters a token stands for in the memory estimate (English text averages about four). */
    public static final int CHARS_PER_TOKEN = 4;
    /** Bytes a prompt character costs while its call is under way: the text and its encoded request. */
    static final int BYTES_PER_CHAR = 2;
    /** The input length assumed when the caller does not know the data set's longest input. */
    public static final int ASSUMED_INPUT_CHARS = 2_000;

    /** How many examples each split has, and the longest input in characters (0 when unknown). */
    public record SplitSizes(int train, int dev, int test, int longestInputChars) {
        public static SplitSizes of(Dataset dataset) {
            int longest = Stream.of(dataset.train(), dataset.dev(), dataset.test()).flatMap(List::stream)
                    .map(Example::input).mapToInt(String::length).max().orElse(0);
            return new SplitSizes(dataset.train().size(), dataset.dev().size(), dataset.test().size(), longest);
        }
    }

    /**
     * The most a step may cost where it runs.
     *
     * @param maxCallsPerStep   LLM calls of one step
     * @param maxStepMemoryBytes memory one step's calls may hold
     * @param whereToRaise      what the operator changes to raise them (a configuration key), for the message
     */
    public record Ceilings(long maxCallsPerStep, long maxStepMemoryBytes, String whereToRaise) {
        public static final long DEFAULT_MAX_CALLS_PER_STEP = 100_000;

        /** The default call ceiling and half of this JVM's heap. */
        public static Ceilings ofThisHeap(String whereToRaise) {
            return new Ceilings(DEFAULT_MAX_CALLS_PER_STEP, Runtime.getRuntime().maxMemory() / 2, whereToRaise);
        }
    }

    public static StepCost estimate(DlnSettings settings, SplitSizes splits) {
        long b = Math.min(settings.batchSize(), Math.max(1, splits.train()));
        long h = settings.hSamples();
        long proposals = settings.pSamples() - 1L;
        long candidates = (long) settings.pSamples() + settings.memorySize();
        long calls;
        if (!settings.twoLayers()) {
            calls = b + proposals + candidates * b;
        } else {
            long forward = 2 * b;
            long posterior = b * h;
            int weightTerms = 1 + (settings.includePrior() ? 1 : 0) + (settings.posteriorMiRegularization() ? 1 : 0)
                    + (settings.posteriorCorrectWeighting() ? 1 : 0);
            long weights = h > 1 ? b * h * weightTerms : 0;
            long outputUpdate = settings.trainP2() ? proposals + candidates * b * h
                    + (settings.trustFactor() > 0 ? candidates * b : 0) : 0;
            long hiddenUpdate = settings.trainP1() ? settings.p1Steps() * (proposals + candidates * b * (h + 1)) : 0;
            calls = forward + posterior + weights + outputUpdate + hiddenUpdate;
        }
        long validation = (long) splits.dev() * settings.layers();
        long inputChars = splits.longestInputChars() > 0 ? splits.longestInputChars() : ASSUMED_INPUT_CHARS;
        long promptChars = (long) settings.backwardMaxTokens() * CHARS_PER_TOKEN;
        long hiddenChars = settings.twoLayers() ? (long) settings.p1MaxTokens() * CHARS_PER_TOKEN : 0;
        long answerChars = (long) settings.p2MaxTokens() * CHARS_PER_TOKEN;
        long bytesPerCall = BYTES_PER_CHAR * (promptChars + inputChars + hiddenChars + answerChars);
        return new StepCost(calls, validation, calls * bytesPerCall);
    }

    /**
     * Everything that keeps a run of these settings from starting: settings out of range, else a step that
     * cannot fit under {@code ceilings}. Empty when the run may start.
     */
    public static List<SettingViolation> refusals(DlnSettings settings, SplitSizes splits, Ceilings ceilings) {
        List<SettingViolation> violations = settings.violations();
        return violations.isEmpty() ? estimate(settings, splits).refusals(settings, ceilings) : violations;
    }

    /** Why a step of these settings cannot run under {@code ceilings}; empty when it fits. */
    public List<SettingViolation> refusals(DlnSettings settings, Ceilings ceilings) {
        List<SettingViolation> refusals = new ArrayList<>();
        String drivers = settings.twoLayers() ? "batchSize × hSamples × (pSamples + memorySize)" : "batchSize × (pSamples + memorySize)";
        if (callsPerStep > ceilings.maxCallsPerStep()) {
            String message = "a step of these settings makes up to " + callsPerStep + " LLM calls, more than the "
                    + ceilings.maxCallsPerStep() + " allowed here (" + ceilings.whereToRaise() + "); the calls grow with "
                    + drivers + ": lower batchSize, hSamples, pSamples or memorySize";
            for (String field : costFields(settings, false)) refusals.add(new SettingViolation(field, field + ": " + message));
        }
        if (stepMemoryBytes > ceilings.maxStepMemoryBytes()) {
            String message = "a step of these settings may hold up to " + mb(stepMemoryBytes) + " MB of prompts, more than the "
                    + mb(ceilings.maxStepMemoryBytes()) + " MB allowed here (" + ceilings.whereToRaise() + "); the memory grows with "
                    + drivers + " and the token limits: lower them";
            for (String field : costFields(settings, true)) refusals.add(new SettingViolation(field, field + ": " + message));
        }
        return refusals;
    }

    private static List<String> costFields(DlnSettings settings, boolean memory) {
        List<String> fields = new ArrayList<>(List.of("batchSize", "pSamples", "memorySize"));
        if (settings.twoLayers()) fields.add(1, "hSamples");
        if (memory) {
            fields.add("backwardMaxTokens");
            if (settings.twoLayers()) fields.add("p1MaxTokens");
        }
        return fields;
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
