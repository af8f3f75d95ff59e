package io.dln.llm;

import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.TokenUsage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three operations over {@code /v1/completions}, each for a group of prompts sent in one HTTP call.
 * When one call serves several prompts, its usage is split among them ({@link UsageSplit}): for echo by
 * the tokens echoed per prompt (exact), otherwise by prompt characters and generated characters (approximate).
 */
final class CompletionsOperations {

    /** The settings a group of generation requests must share to go in one call. */
    record SamplingKey(int n, double temperature, int maxTokens, List<String> stop, Long seed, List<String> favoured) {

        static SamplingKey of(GenerationRequest r) {
            // At temperature 0 the seed changes nothing, so requests differing only in seed can share a call.
            return new SamplingKey(r.n(), r.temperature(), r.maxTokens(), r.stop(), r.temperature() == 0 ? null : r.seed(),
                    r.favoured());
        }
    }

    private final String backend;
    private final String model;
    private final CompletionsClient client;
    private final CallGuard guard;
    private final ServerTokenizer tokenizer;

    CompletionsOperations(BackendConfig config, CompletionsClient client, CallGuard guard, ServerTokenizer tokenizer) {
        this.backend = config.name();
        this.model = config.model();
        this.client = client;
        this.guard = guard;
        this.tokenizer = tokenizer;
    }

    List<Generation> generate(SamplingKey key, List<GenerationRequest> requests) {
        return generate(key, requests, LlmOperation.GENERATE);
    }

    /** As above, counted as {@code operation} (a probe's generations are not the caller's). */
    List<Generation> generate(SamplingKey key, List<GenerationRequest> requests, LlmOperation operation) {
        List<String> prompts = requests.stream().map(GenerationRequest::prompt).toList();
        Map<String, Integer> logitBias = key.favoured().isEmpty() ? null
                : tokenizer.firstTokenBias(key.favoured(), GenerationRequest.FAVOURED_BIAS, operation);
        var request = new CompletionsApi.Request(model, CompletionsApi.Request.prompts(prompts), key.maxTokens(),
                key.temperature(), key.n(), key.stop(), key.seed(), null, null, logitBias);
        long estimate = prompts.stream().mapToLong(Batches::estimateTokens).sum() + (long) key.maxTokens() * key.n() * prompts.size();
        return guard.call(operation, estimate,
                () -> readGenerations(client.complete(request, prompts.size() * key.n(), operation), prompts, key.n()),
                gs -> total(gs.stream().map(Generation::usage)));
    }

    private List<Generation> readGenerations(CompletionsApi.Response response, List<String> prompts, int n) {
        List<List<String>> texts = new ArrayList<>();
        long[] promptWeights = new long[prompts.size()];
        long[] completionWeights = new long[prompts.size()];
        for (int p = 0; p < prompts.size(); p++) {
            List<String> samples = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                String text = response.choices().get(p * n + j).text();
                samples.add(text == null ? "" : text);
                completionWeights[p] += samples.getLast().length();
            }
            texts.add(samples);
            promptWeights[p] = prompts.get(p).length();
        }
        List<TokenUsage> shares = UsageSplit.split(usage(response), promptWeights, completionWeights);
        List<Generation> generations = new ArrayList<>(prompts.size());
        for (int p = 0; p < prompts.size(); p++) generations.add(new Generation(texts.get(p), shares.get(p)));
        return generations;
    }

    List<LogProbability> logProbability(List<LogProbabilityRequest> requests, LlmOperation operation) {
        List<String> prompts = requests.stream().map(r -> r.context() + r.target()).toList();
        var request = new CompletionsApi.Request(model, CompletionsApi.Request.prompts(prompts), 0, 0.0,
                null, null, null, 1, true);
        long estimate = prompts.stream().mapToLong(Batches::estimateTokens).sum();
        return guard.call(operation, estimate,
                () -> readScores(client.complete(request, prompts.size(), operation), requests, operation),
                ss -> total(ss.stream().map(LogProbability::usage)));
    }

    private List<LogProbability> readScores(CompletionsApi.Response response, List<LogProbabilityRequest> requests,
                                            LlmOperation operation) {
        List<String> prompts = requests.stream().map(r -> r.context() + r.target()).toList();
        long[] echoed = new long[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) echoed[i] = logprobsOf(response.choices().get(i), operation).tokens().size();
        List<TokenUsage> shares = UsageSplit.split(usage(response), echoed, echoed);
        List<LogProbability> scores = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            LogProbabilityRequest r = requests.get(i);
            if (r.target().isEmpty()) {
                scores.add(new LogProbability(0.0, 0, shares.get(i))); // log p("") = 0, over no tokens
                continue;
            }
            EchoScoring.Score score;
            try {
                score = EchoScoring.score(logprobsOf(response.choices().get(i), operation), r.context(), r.target(), r.burnIn());
            } catch (IllegalArgumentException e) {
                throw LlmBackendException.badResponse(backend, operation, e.getMessage());
            }
            if (score == null) {
                throw LlmBackendException.badResponse(backend, operation,
                        "the echo gives no log-probability for any token of the target (a prompt's first token has none;"
                                + " the context must not be empty)");
            }
            scores.add(new LogProbability(score.meanLogProb(), score.tokens(), shares.get(i)));
        }
        return scores;
    }

    /**
     * Whether the server follows a logit bias: the token ids of {@code favoured} from its tokenizer endpoint, then one
     * greedy token after {@code context} with a bias of 100 on the first; null when it does, else why not.
     */
    String probeLogitBias(String context, String favoured) {
        Map<String, Integer> bias;
        try {
            bias = tokenizer.firstTokenBias(List.of(favoured), GenerationRequest.FAVOURED_BIAS, LlmOperation.PROBE);
        } catch (LlmBackendException e) {
            if (e.failure() == LlmBackendException.Failure.TIMEOUT || e.failure() == LlmBackendException.Failure.CONNECTION) throw e;
            return "the server has no usable tokenizer endpoint (POST /tokenize, as vLLM serves it) to find token ids for"
                    + " logit_bias: " + e.serverMessage();
        }
        if (bias.isEmpty()) return "the server's tokenizer gave no token for '" + favoured + "'";
        var request = new CompletionsApi.Request(model, context, 1, 0.0, 1, null, null, null, null, bias);
        try {
            String text = guard.call(LlmOperation.PROBE, Batches.estimateTokens(context) + 1,
                    () -> client.complete(request, 1, LlmOperation.PROBE).choices().getFirst().text(), t -> TokenUsage.NONE);
            if (text != null && !text.isBlank() && favoured.strip().startsWith(text.strip())) return null;
            return "the server ignored logit_bias (asked for '" + favoured.strip() + "', wrote '" + text + "')";
        } catch (LlmBackendException e) {
            if (e.failure() == LlmBackendException.Failure.TIMEOUT || e.failure() == LlmBackendException.Failure.CONNECTION) throw e;
            return "the server refused logit_bias (HTTP " + e.status() + ": " + e.serverMessage() + ")";
        }
    }

    List<FirstTokenTopK> firstTokenTopK(List<String> contexts, int k, LlmOperation operation) {
        var request = new CompletionsApi.Request(model, CompletionsApi.Request.prompts(contexts), 1, 0.0,
                null, null, null, k, null);
        long estimate = contexts.stream().mapToLong(Batches::estimateTokens).sum() + contexts.size();
        return guard.call(operation, estimate,
                () -> readTopK(client.complete(request, contexts.size(), operation), contexts, operation),
                ts -> total(ts.stream().map(FirstTokenTopK::usage)));
    }

    private List<FirstTokenTopK> readTopK(CompletionsApi.Response response, List<String> contexts, LlmOperation operation) {
        long[] promptWeights = contexts.stream().mapToLong(String::length).toArray();
        long[] completionWeights = new long[contexts.size()];
        List<Map<String, Double>> tops = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            var logprobs = logprobsOf(response.choices().get(i), operation);
            completionWeights[i] = Math.max(1, logprobs.tokens().size());
            Map<String, Double> first = logprobs.topLogprobs().isEmpty() ? null : logprobs.topLogprobs().getFirst();
            if (first == null) {
                throw LlmBackendException.badResponse(backend, operation,
                        "the completions response has no top_logprobs for the first generated token");
            }
            Map<String, Double> top = new HashMap<>();
            first.forEach((token, lp) -> {
                if (token != null && lp != null) top.put(token, lp);
            });
            tops.add(top);
        }
        List<TokenUsage> shares = UsageSplit.split(usage(response), promptWeights, completionWeights);
        List<FirstTokenTopK> result = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) result.add(new FirstTokenTopK(tops.get(i), shares.get(i)));
        return result;
    }

    private CompletionsApi.Logprobs logprobsOf(CompletionsApi.Choice choice, LlmOperation operation) {
        if (choice.logprobs() == null) {
            throw LlmBackendException.badResponse(backend, operation, "the completions response carries no logprobs");
        }
        return choice.logprobs();
    }

    static TokenUsage total(java.util.stream.Stream<TokenUsage> usages) {
        return usages.reduce(TokenUsage.NONE, TokenUsage::plus);
    }

    private static TokenUsage usage(CompletionsApi.Response response) {
        return response.usage() == null ? TokenUsage.NONE : response.usage().toTokenUsage();
    }
}
