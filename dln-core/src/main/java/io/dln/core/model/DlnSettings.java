package io.dln.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Every knob of DLN-1 and DLN-2 training, with the meaning the paper's reference code gives it.
 * Any field left null takes its default, so a partial JSON document is a valid settings object.
 *
 * @param layers                1 (DLN-1: one prompt layer) or 2 (DLN-2: hidden analysis layer + output layer)
 * @param iterations            training iterations (one batch and one prompt update each)
 * @param batchSize             examples per training batch
 * @param validateEvery         validate on the dev split every this many iterations
 * @param validateFirst         also validate the initial prompts before the first iteration
 * @param patience              stop after this many validations without improvement; 0 never stops early
 * @param hSamples              posterior samples of the hidden text per example (DLN-2)
 * @param pSamples              prompt candidates per update, the current prompt included
 * @param posteriorTemperature  temperature of the softmax that turns hidden-sample scores into weights
 * @param includePrior          add log p(h~ | x, prompt 1) to the posterior weights' logits
 * @param trustFactor           weight of the KL between output class distributions under the current and a candidate output prompt
 * @param logpPenalty           penalty on hidden prompts that make the hidden texts of wrong answers likely
 * @param decayLogpPenalty      decrease the penalty linearly to zero over the iterations
 * @param memorySize            best dev prompts kept and offered as candidates again; 0 keeps none
 * @param heldOutRanking        show the backward LLM only half the batch for each proposal
 * @param stripOptionsForHidden remove an "Options:" tail from the input before the hidden layer reads it
 * @param trainP1               update the hidden layer's prompt
 * @param trainP2               update the output layer's prompt
 * @param forwardUseClasses     answer with the most likely output class instead of free generation
 * @param outputScoring         rank output prompts by log-likelihood or by accuracy
 * @param useHArgmax            keep only the best hidden sample per example instead of weighting all
 * @param rewriteLossOnly       sample new hidden texts only for examples answered wrongly
 * @param balanceBatch          draw training batches with the classes in equal shares
 * @param forwardTemperature    temperature of forward (answer and analysis) calls
 * @param backwardTemperature   temperature of prompt proposals and posterior samples
 * @param backwardMaxTokens     token limit of a prompt proposal or posterior sample
 * @param p1MaxTokens           token limit of a hidden analysis
 * @param p2MaxTokens           token limit of an answer
 * @param fewShots              examples shown in the few-shot baseline evaluation; 0 skips it
 * @param initP1                the hidden layer's initial prompt
 * @param initP2                the output layer's initial prompt; null takes the task's instruction
 * @param loss                  loss name: exact_match or number_presence
 * @param forwardTemplate       template of the output layer
 * @param hiddenTemplate        template of the hidden layer
 * @param residualTemplate      template joining input and hidden text
 * @param backwardTemplate      template of prompt proposals
 * @param posteriorTemplates    templates of hidden-text proposals, one picked at random per sample
 */
public record DlnSettings(
        Integer layers, Integer iterations, Integer batchSize, Integer validateEvery, Boolean validateFirst,
        Integer patience, Integer hSamples, Integer pSamples, Double posteriorTemperature, Boolean includePrior,
        Double trustFactor, Double logpPenalty, Boolean decayLogpPenalty, Integer memorySize, Boolean heldOutRanking,
        Boolean stripOptionsForHidden, Boolean trainP1, Boolean trainP2, Boolean forwardUseClasses,
        OutputScoring outputScoring, Boolean useHArgmax, Boolean rewriteLossOnly, Boolean balanceBatch,
        Double forwardTemperature, Double backwardTemperature, Integer backwardMaxTokens, Integer p1MaxTokens,
        Integer p2MaxTokens, Integer fewShots, String initP1, String initP2, String loss, String forwardTemplate,
        String hiddenTemplate, String residualTemplate, String backwardTemplate, List<String> posteriorTemplates) {

    public DlnSettings {
        layers = or(layers, 1);
        iterations = or(iterations, 20);
        batchSize = or(batchSize, 20);
        validateEvery = or(validateEvery, 2);
        validateFirst = or(validateFirst, true);
        patience = or(patience, 0);
        hSamples = or(hSamples, 3);
        pSamples = or(pSamples, 5);
        posteriorTemperature = or(posteriorTemperature, 1.0);
        includePrior = or(includePrior, true);
        trustFactor = or(trustFactor, 0.0);
        logpPenalty = or(logpPenalty, 0.0);
        decayLogpPenalty = or(decayLogpPenalty, true);
        memorySize = or(memorySize, 0);
        heldOutRanking = or(heldOutRanking, false);
        stripOptionsForHidden = or(stripOptionsForHidden, false);
        trainP1 = or(trainP1, true);
        trainP2 = or(trainP2, true);
        forwardUseClasses = or(forwardUseClasses, true);
        outputScoring = or(outputScoring, OutputScoring.LOGPROBS);
        useHArgmax = or(useHArgmax, false);
        rewriteLossOnly = or(rewriteLossOnly, false);
        balanceBatch = or(balanceBatch, true);
        forwardTemperature = or(forwardTemperature, 0.0);
        backwardTemperature = or(backwardTemperature, 0.7);
        backwardMaxTokens = or(backwardMaxTokens, 512);
        p1MaxTokens = or(p1MaxTokens, 256);
        p2MaxTokens = or(p2MaxTokens, 20);
        fewShots = or(fewShots, 0);
        initP1 = or(initP1, "");
        loss = or(loss, "exact_match");
        forwardTemplate = or(forwardTemplate, "forward");
        hiddenTemplate = or(hiddenTemplate, "hidden-forward");
        residualTemplate = or(residualTemplate, "residual");
        backwardTemplate = or(backwardTemplate, "backward");
        posteriorTemplates = List.copyOf(or(posteriorTemplates, List.of("posterior-with-answer")));
    }

    public static DlnSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean twoLayers() {
        return layers == 2;
    }

    /** What is wrong with these settings, one sentence per field; empty when they are usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (layers != 1 && layers != 2) problems.add("layers must be 1 or 2, was " + layers);
        atLeast(problems, "iterations", iterations, 0);
        atLeast(problems, "batchSize", batchSize, 1);
        atLeast(problems, "validateEvery", validateEvery, 1);
        atLeast(problems, "patience", patience, 0);
        atLeast(problems, "hSamples", hSamples, 1);
        atLeast(problems, "pSamples", pSamples, 1);
        atLeast(problems, "memorySize", memorySize, 0);
        atLeast(problems, "backwardMaxTokens", backwardMaxTokens, 1);
        atLeast(problems, "p1MaxTokens", p1MaxTokens, 1);
        atLeast(problems, "p2MaxTokens", p2MaxTokens, 1);
        atLeast(problems, "fewShots", fewShots, 0);
        if (!(posteriorTemperature > 0)) problems.add("posteriorTemperature must be positive, was " + posteriorTemperature);
        if (trustFactor < 0) problems.add("trustFactor must not be negative, was " + trustFactor);
        if (logpPenalty < 0) problems.add("logpPenalty must not be negative, was " + logpPenalty);
        if (forwardTemperature < 0 || forwardTemperature > 2) problems.add("forwardTemperature must be within [0, 2], was " + forwardTemperature);
        if (backwardTemperature < 0 || backwardTemperature > 2) problems.add("backwardTemperature must be within [0, 2], was " + backwardTemperature);
        if (posteriorTemplates.isEmpty()) problems.add("posteriorTemplates must name at least one template");
        return problems;
    }

    public DlnSettings validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException("invalid settings: " + String.join("; ", problems));
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void atLeast(List<String> problems, String field, int value, int min) {
        if (value < min) problems.add(field + " must be at least " + min + ", was " + value);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** Fluent construction; fields not set keep their defaults. */
    public static final class Builder {
        private Integer layers, iterations, batchSize, validateEvery, patience, hSamples, pSamples, memorySize,
                backwardMaxTokens, p1MaxTokens, p2MaxTokens, fewShots;
        private Boolean validateFirst, includePrior, decayLogpPenalty, heldOutRanking, stripOptionsForHidden,
                trainP1, trainP2, forwardUseClasses, useHArgmax, rewriteLossOnly, balanceBatch;
        private Double posteriorTemperature, trustFactor, logpPenalty, forwardTemperature, backwardTemperature;
        private OutputScoring outputScoring;
        private String initP1, initP2, loss, forwardTemplate, hiddenTemplate, residualTemplate, backwardTemplate;
        private List<String> posteriorTemplates;

        private Builder() {
        }

        private Builder(DlnSettings s) {
            layers = s.layers; iterations = s.iterations; batchSize = s.batchSize; validateEvery = s.validateEvery;
            validateFirst = s.validateFirst; patience = s.patience; hSamples = s.hSamples; pSamples = s.pSamples;
            posteriorTemperature = s.posteriorTemperature; includePrior = s.includePrior; trustFactor = s.trustFactor;
            logpPenalty = s.logpPenalty; decayLogpPenalty = s.decayLogpPenalty; memorySize = s.memorySize;
            heldOutRanking = s.heldOutRanking; stripOptionsForHidden = s.stripOptionsForHidden; trainP1 = s.trainP1;
            trainP2 = s.trainP2; forwardUseClasses = s.forwardUseClasses; outputScoring = s.outputScoring;
            useHArgmax = s.useHArgmax; rewriteLossOnly = s.rewriteLossOnly; balanceBatch = s.balanceBatch;
            forwardTemperature = s.forwardTemperature; backwardTemperature = s.backwardTemperature;
            backwardMaxTokens = s.backwardMaxTokens; p1MaxTokens = s.p1MaxTokens; p2MaxTokens = s.p2MaxTokens;
            fewShots = s.fewShots; initP1 = s.initP1; initP2 = s.initP2; loss = s.loss;
            forwardTemplate = s.forwardTemplate; hiddenTemplate = s.hiddenTemplate; residualTemplate = s.residualTemplate;
            backwardTemplate = s.backwardTemplate; posteriorTemplates = s.posteriorTemplates;
        }

        public Builder layers(int v) { layers = v; return this; }
        public Builder iterations(int v) { iterations = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder validateEvery(int v) { validateEvery = v; return this; }
        public Builder validateFirst(boolean v) { validateFirst = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder hSamples(int v) { hSamples = v; return this; }
        public Builder pSamples(int v) { pSamples = v; return this; }
        public Builder posteriorTemperature(double v) { posteriorTemperature = v; return this; }
        public Builder includePrior(boolean v) { includePrior = v; return this; }
        public Builder trustFactor(double v) { trustFactor = v; return this; }
        public Builder logpPenalty(double v) { logpPenalty = v; return this; }
        public Builder decayLogpPenalty(boolean v) { decayLogpPenalty = v; return this; }
        public Builder memorySize(int v) { memorySize = v; return this; }
        public Builder heldOutRanking(boolean v) { heldOutRanking = v; return this; }
        public Builder stripOptionsForHidden(boolean v) { stripOptionsForHidden = v; return this; }
        public Builder trainP1(boolean v) { trainP1 = v; return this; }
        public Builder trainP2(boolean v) { trainP2 = v; return this; }
        public Builder forwardUseClasses(boolean v) { forwardUseClasses = v; return this; }
        public Builder outputScoring(OutputScoring v) { outputScoring = v; return this; }
        public Builder useHArgmax(boolean v) { useHArgmax = v; return this; }
        public Builder rewriteLossOnly(boolean v) { rewriteLossOnly = v; return this; }
        public Builder balanceBatch(boolean v) { balanceBatch = v; return this; }
        public Builder forwardTemperature(double v) { forwardTemperature = v; return this; }
        public Builder backwardTemperature(double v) { backwardTemperature = v; return this; }
        public Builder backwardMaxTokens(int v) { backwardMaxTokens = v; return this; }
        public Builder p1MaxTokens(int v) { p1MaxTokens = v; return this; }
        public Builder p2MaxTokens(int v) { p2MaxTokens = v; return this; }
        public Builder fewShots(int v) { fewShots = v; return this; }
        public Builder initP1(String v) { initP1 = v; return this; }
        public Builder initP2(String v) { initP2 = v; return this; }
        public Builder loss(String v) { loss = v; return this; }
        public Builder forwardTemplate(String v) { forwardTemplate = v; return this; }
        public Builder hiddenTemplate(String v) { hiddenTemplate = v; return this; }
        public Builder residualTemplate(String v) { residualTemplate = v; return this; }
        public Builder backwardTemplate(String v) { backwardTemplate = v; return this; }
        public Builder posteriorTemplates(List<String> v) { posteriorTemplates = v; return this; }

        public DlnSettings build() {
            return new DlnSettings(layers, iterations, batchSize, validateEvery, validateFirst, patience, hSamples,
                    pSamples, posteriorTemperature, includePrior, trustFactor, logpPenalty, decayLogpPenalty, memorySize,
                    heldOutRanking, stripOptionsForHidden, trainP1, trainP2, forwardUseClasses, outputScoring, useHArgmax,
                    rewriteLossOnly, balanceBatch, forwardTemperature, backwardTemperature, backwardMaxTokens, p1MaxTokens,
                    p2MaxTokens, fewShots, initP1, initP2, loss, forwardTemplate, hiddenTemplate, residualTemplate,
                    backwardTemplate, posteriorTemplates);
        }
    }
}
