package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.util.ArrayList;
import java.util.List;

/**
 * Shares the usage of one HTTP call among the prompts it served, in proportion to weights (e.g. the tokens
 * echoed for each prompt, or its characters). Shares are whole tokens and add up exactly to the server's totals.
 */
final class UsageSplit {

    private UsageSplit() {
    }

    static List<TokenUsage> split(TokenUsage total, long[] promptWeights, long[] completionWeights) {
        long[] prompt = apportion(total.promptTokens(), promptWeights);
        long[] completion = apportion(total.completionTokens(), completionWeights);
        List<TokenUsage> shares = new ArrayList<>(prompt.length);
        for (int i = 0; i < prompt.length; i++) shares.add(new TokenUsage(prompt[i], completion[i]));
        return shares;
    }

    /** Largest-remainder apportionment; all-zero weights share evenly. */
    static long[] apportion(long amount, long[] weights) {
        int n = weights.length;
        long[] shares = new long[n];
        if (n == 0) return shares;
        long weightSum = 0;
        for (long w : weights) weightSum += Math.max(0, w);
        double[] exact = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            exact[i] = weightSum == 0 ? (double) amount / n : (double) amount * Math.max(0, weights[i]) / weightSum;
            shares[i] = (long) Math.floor(exact[i]);
            given += shares[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(exact[b] - shares[b], exact[a] - shares[a]));
        for (int k = 0; given < amount; k = (k + 1) % n, given++) shares[order[k]]++;
        return shares;
    }
}
