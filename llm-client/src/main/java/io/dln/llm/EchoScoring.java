package io.dln.llm;

import java.util.List;

/**
 * Finds the target's tokens in an echoed prompt by their character offsets, so no tokenizer is needed.
 * A token belongs to the target when it ends after the context does: tokens wholly after the boundary and
 * the one token straddling it. Offsets are counted in Unicode code points, as the Python servers count them.
 */
final class EchoScoring {

    /** The target's mean log-probability and how many tokens it averages over. */
    record Score(double meanLogProb, int tokens) {
    }

    private EchoScoring() {
    }

    /**
     * @return the score, or null when the echo holds no log-probability for any target token (always for an empty target)
     * @throws IllegalArgumentException when the echo lacks the offsets needed to find the target
     */
    static Score score(CompletionsApi.Logprobs echo, String context, String target) {
        return score(echo, context, target, 0);
    }

    /**
     * The same, leaving the first {@code burnIn} share of the target's tokens (floored) out of the mean, as the
     * reference does with its 5 % burn-in; {@code tokens} stays the number of target tokens.
     */
    static Score score(CompletionsApi.Logprobs echo, String context, String target, double burnIn) {
        int contextEnd = context.codePointCount(0, context.length());
        int promptEnd = contextEnd + target.codePointCount(0, target.length());
        List<String> tokens = echo.tokens();
        List<Integer> offsets = echo.textOffset();
        List<Double> logprobs = echo.tokenLogprobs();
        if (offsets.isEmpty() || offsets.size() != logprobs.size()) {
            throw new IllegalArgumentException("the echo has " + offsets.size() + " text offsets for "
                    + logprobs.size() + " token log-probabilities; the target cannot be located");
        }
        java.util.List<Double> targetLogprobs = new java.util.ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            int start = offsets.get(i);
            if (start >= promptEnd && i > 0) break; // a generated token past the prompt, not part of the target
            int end = i + 1 < offsets.size() ? offsets.get(i + 1) : start + length(tokens, i);
            boolean inTarget = start >= contextEnd || end > contextEnd;
            Double logprob = logprobs.get(i);
            if (inTarget && logprob != null) targetLogprobs.add(logprob);
        }
        int count = targetLogprobs.size();
        if (count == 0) return null;
        int skipped = io.dln.core.lm.LogProbabilityRequest.burnInTokens(burnIn, count);
        double sum = 0;
        for (double logprob : targetLogprobs.subList(skipped, count)) sum += logprob;
        return new Score(sum / (count - skipped), count);
    }

    private static int length(List<String> tokens, int i) {
        String token = i < tokens.size() ? tokens.get(i) : null;
        return token == null ? 0 : token.codePointCount(0, token.length());
    }
}
