package io.dln.core.lm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An LLM as the DLN algorithm sees it: every operation takes a batch and answers asynchronously,
 * results in the order of the requests. The same algorithm runs against a direct HTTP backend or
 * against workers reached through a message broker, depending on the implementation supplied.
 */
public interface LanguageModel {

    /** Text generation: one {@link Generation} per request, each with {@code n} samples. */
    CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests);

    /** log p(target | context): the mean log-probability of the target's tokens after the context. */
    CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests);

    /** The first-token distribution over output classes, renormalised over their verbalizers. */
    CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests);

    /** What this backend can do; the algorithm refuses settings that need more. */
    Capabilities capabilities();
}
