package io.dln.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Every knob of DLN-1 and DLN-2 training, with the meaning the paper's reference code gives it. Each field's
 * range, default and meaning are listed in {@link #RANGES} (and, generated from it, in the README's "Settings").
 * Any field left null takes its default, so a partial JSON document is a valid settings object.
 */
public record DlnSettings(
        Integer layers, Integer iterations, Integer batchSize, Integer validateEvery, Boolean validateFirst,
        Integer patience, Integer hSamples, Integer pSamples, Double posteriorTemperature, Boolean includePrior,
        Double trustFactor, Double logpPenalty, Boolean decayLogpPenalty, Integer memorySize, Boolean heldOutRanking,
        Boolean stripOptionsForHidden, Boolean trainP1, Boolean trainP2, Boolean forwardUseClasses,
        OutputScoring outputScoring, Boolean useHArgmax, Boolean rewriteLossOnly, Boolean balanceBatch,
        Double forwardTemperature, Double backwardTemperature, Integer backwardMaxTokens, Integer p1MaxTokens,
        Integer p2MaxTokens, Integer fewShots, String initP1, String initP2, String loss, String forwardTemplate,
        String hiddenTemplate, String residualTemplate, String backwardTemplate, List<String> posteriorTemplates,
        PatienceRule patienceRule, Double echoBurnIn, Boolean posteriorMiRegularization, Boolean posteriorCorrectWeighting,
        Boolean useNce, Integer p1Steps, PromptSampling promptSampling, Boolean normalizeFreeText) {

    /** Longest template or loss name. */
    public static final int MAX_NAME_CHARS = 100;
    /** Longest initial prompt. */
    public static final int MAX_PROMPT_CHARS = 16_384;

    /**
     * The documented range of every setting. The bounds cover every experiment of the paper's scripts with room
     * to spare (their largest values: 50 iterations, batch 20, 50 prompt and 20 hidden samples, memory 5,
     * 16 shots, 1024 backward and 768 hidden-layer tokens, trust factor 5, logp penalty 10); what a step may
     * cost as a whole is bounded separately by {@link StepCost}.
     */
    public static final List<SettingRange> RANGES = List.of(
            SettingRange.whole("layers", 1, 2, "1 (DLN-1: one prompt layer) or 2 (DLN-2: hidden analysis layer + output layer)", DlnSettings::layers),
            SettingRange.whole("iterations", 0, 1000, "training iterations (one batch and one prompt update each)", DlnSettings::iterations),
            SettingRange.whole("batchSize", 1, 200, "examples per training batch", DlnSettings::batchSize),
            SettingRange.whole("validateEvery", 1, 1000, "validate on the dev split every this many iterations", DlnSettings::validateEvery),
            SettingRange.flag("validateFirst", "also validate the initial prompts before the first iteration", DlnSettings::validateFirst),
            SettingRange.whole("patience", 0, 1000, "validations without improvement before patienceRule acts; 0 never", DlnSettings::patience),
            SettingRange.whole("hSamples", 1, 64, "posterior samples of the hidden text per example (DLN-2)", DlnSettings::hSamples),
            SettingRange.whole("pSamples", 1, 64, "prompt candidates per update, the current prompt included", DlnSettings::pSamples),
            SettingRange.real("posteriorTemperature", 0.01, 100, "temperature of the softmax that turns hidden-sample scores into weights; 100 weights them equally", DlnSettings::posteriorTemperature),
            SettingRange.flag("includePrior", "add the log-probability of h~ given x under prompt 1 to the posterior weights' logits", DlnSettings::includePrior),
            SettingRange.real("trustFactor", 0, 100, "weight of the KL between output class distributions under the current and a candidate output prompt", DlnSettings::trustFactor),
            SettingRange.real("logpPenalty", 0, 100, "penalty on hidden prompts that make the hidden texts of wrong answers likely", DlnSettings::logpPenalty),
            SettingRange.flag("decayLogpPenalty", "decrease the penalty linearly to zero over the iterations", DlnSettings::decayLogpPenalty),
            SettingRange.whole("memorySize", 0, 20, "best dev prompts kept and offered as candidates again; 0 keeps none", DlnSettings::memorySize),
            SettingRange.flag("heldOutRanking", "show the backward LLM only half the batch for each proposal", DlnSettings::heldOutRanking),
            SettingRange.flag("stripOptionsForHidden", "remove an \"Options:\" tail from the input before the hidden layer reads it", DlnSettings::stripOptionsForHidden),
            SettingRange.flag("trainP1", "update the hidden layer's prompt", DlnSettings::trainP1),
            SettingRange.flag("trainP2", "update the output layer's prompt", DlnSettings::trainP2),
            SettingRange.flag("forwardUseClasses", "answer with the most likely output class instead of free generation", DlnSettings::forwardUseClasses),
            SettingRange.choice("outputScoring", OutputScoring.values(), "rank output prompts by log-likelihood or by accuracy", DlnSettings::outputScoring),
            SettingRange.flag("useHArgmax", "keep only the best hidden sample per example instead of weighting all", DlnSettings::useHArgmax),
            SettingRange.flag("rewriteLossOnly", "sample new hidden texts only for examples answered wrongly", DlnSettings::rewriteLossOnly),
            SettingRange.flag("balanceBatch", "draw training batches with the classes in equal shares", DlnSettings::balanceBatch),
            SettingRange.real("forwardTemperature", 0, 2, "temperature of forward (answer and analysis) calls", DlnSettings::forwardTemperature),
            SettingRange.real("backwardTemperature", 0, 2, "temperature of prompt proposals and posterior samples", DlnSettings::backwardTemperature),
            SettingRange.whole("backwardMaxTokens", 1, 4096, "token limit of a prompt proposal or posterior sample", DlnSettings::backwardMaxTokens),
            SettingRange.whole("p1MaxTokens", 1, 4096, "token limit of a hidden analysis", DlnSettings::p1MaxTokens),
            SettingRange.whole("p2MaxTokens", 1, 4096, "token limit of an answer", DlnSettings::p2MaxTokens),
            SettingRange.whole("fewShots", 0, 64, "examples shown in the few-shot baseline evaluation; 0 skips it", DlnSettings::fewShots),
            SettingRange.text("initP1", MAX_PROMPT_CHARS, "the hidden layer's initial prompt", DlnSettings::initP1),
            SettingRange.text("initP2", MAX_PROMPT_CHARS, "the output layer's initial prompt; none takes the task's instruction", DlnSettings::initP2),
            SettingRange.text("loss", MAX_NAME_CHARS, "loss name: exact_match or number_presence", DlnSettings::loss),
            SettingRange.text("forwardTemplate", MAX_NAME_CHARS, "template of the output layer", DlnSettings::forwardTemplate),
            SettingRange.text("hiddenTemplate", MAX_NAME_CHARS, "template of the hidden layer", DlnSettings::hiddenTemplate),
            SettingRange.text("residualTemplate", MAX_NAME_CHARS, "template joining input and hidden text", DlnSettings::residualTemplate),
            SettingRange.text("backwardTemplate", MAX_NAME_CHARS, "template of prompt proposals", DlnSettings::backwardTemplate),
            SettingRange.names("posteriorTemplates", 1, 8, "templates of hidden-text proposals, one picked at random per sample; the paper mixes one that sees the answer with the hidden layer's own", DlnSettings::posteriorTemplates),
            SettingRange.choice("patienceRule", PatienceRule.values(), "after patience validations without improvement, reload the best prompts and go on (the paper) or stop", DlnSettings::patienceRule),
            SettingRange.real("echoBurnIn", 0, 0.5, "share of a scored text's first tokens left out of its mean log-probability (the reference skips 5 %)", DlnSettings::echoBurnIn),
            SettingRange.flag("posteriorMiRegularization", "subtract the log-likelihood of the answer given h~ alone from the posterior weights' logits", DlnSettings::posteriorMiRegularization),
            SettingRange.flag("posteriorCorrectWeighting", "subtract the log-probability of h~ under its posterior proposal from the weights' logits (importance weighting)", DlnSettings::posteriorCorrectWeighting),
            SettingRange.flag("useNce", "rank hidden prompts by how well they tell each example's weighted h~ from its other samples (NCE) instead of the ELBO", DlnSettings::useNce),
            SettingRange.whole("p1Steps", 1, 10, "hidden-prompt updates per iteration, each proposing from the last one's winner", DlnSettings::p1Steps),
            SettingRange.choice("promptSampling", PromptSampling.values(), "one new prompt per backward call, or three refined in sequence", DlnSettings::promptSampling),
            SettingRange.flag("normalizeFreeText", "free-text tasks: show and score targets and outputs normalised as the loss reads them (lower-cased first word for exact_match), as the reference does", DlnSettings::normalizeFreeText));

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
        posteriorTemplates = java.util.Collections.unmodifiableList(new ArrayList<>(or(posteriorTemplates, List.of("posterior-with-answer", "hidden-forward"))));
        patienceRule = or(patienceRule, PatienceRule.RELOAD_BEST);
        echoBurnIn = or(echoBurnIn, 0.05);
        posteriorMiRegularization = or(posteriorMiRegularization, false);
        posteriorCorrectWeighting = or(posteriorCorrectWeighting, false);
        useNce = or(useNce, false);
        p1Steps = or(p1Steps, 1);
        promptSampling = or(promptSampling, PromptSampling.INDEPENDENT);
        normalizeFreeText = or(normalizeFreeText, true);
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
        return violations().stream().map(SettingViolation::message).toList();
    }

    /** Every setting out of its documented range, naming the field. */
    public List<SettingViolation> violations() {
        List<SettingViolation> violations = new ArrayList<>();
        for (SettingRange range : RANGES) {
            SettingViolation violation = range.check(this);
            if (violation != null) violations.add(violation);
        }
        return violations;
    }

    /** The README's table of settings: each field with its range, default and meaning, in {@link #RANGES} order. */
    public static String rangesTable() {
        DlnSettings defaults = defaults();
        StringBuilder table = new StringBuilder("| setting | range | default | meaning |\n|---|---|---|---|\n");
        for (SettingRange range : RANGES) {
            Object value = range.value().apply(defaults);
            String shown = value == null ? "(the task's instruction)"
                    : value instanceof String text ? (text.isEmpty() ? "(empty)" : "`" + text + "`")
                    : value instanceof List<?> list ? "`" + String.join("`, `", list.stream().map(String::valueOf).toList()) + "`"
                    : value instanceof Double d ? SettingRange.number(d)
                    : String.valueOf(value);
            table.append("| `").append(range.field()).append("` | ").append(range.bounds()).append(" | ")
                    .append(shown).append(" | ").append(range.meaning()).append(" |\n");
        }
        return table.toString();
    }

    public DlnSettings validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException("invalid settings: " + String.join("; ", problems));
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
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
        private PatienceRule patienceRule;
        private Double echoBurnIn;
        private Boolean posteriorMiRegularization, posteriorCorrectWeighting, useNce, normalizeFreeText;
        private Integer p1Steps;
        private PromptSampling promptSampling;

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
            patienceRule = s.patienceRule; echoBurnIn = s.echoBurnIn; posteriorMiRegularization = s.posteriorMiRegularization;
            posteriorCorrectWeighting = s.posteriorCorrectWeighting; useNce = s.useNce; p1Steps = s.p1Steps;
            promptSampling = s.promptSampling; normalizeFreeText = s.normalizeFreeText;
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
        public Builder patienceRule(PatienceRule v) { patienceRule = v; return this; }
        public Builder echoBurnIn(double v) { echoBurnIn = v; return this; }
        public Builder posteriorMiRegularization(boolean v) { posteriorMiRegularization = v; return this; }
        public Builder posteriorCorrectWeighting(boolean v) { posteriorCorrectWeighting = v; return this; }
        public Builder useNce(boolean v) { useNce = v; return this; }
        public Builder p1Steps(int v) { p1Steps = v; return this; }
        public Builder promptSampling(PromptSampling v) { promptSampling = v; return this; }
        public Builder normalizeFreeText(boolean v) { normalizeFreeText = v; return this; }

        public DlnSettings build() {
            return new DlnSettings(layers, iterations, batchSize, validateEvery, validateFirst, patience, hSamples,
                    pSamples, posteriorTemperature, includePrior, trustFactor, logpPenalty, decayLogpPenalty, memorySize,
                    heldOutRanking, stripOptionsForHidden, trainP1, trainP2, forwardUseClasses, outputScoring, useHArgmax,
                    rewriteLossOnly, balanceBatch, forwardTemperature, backwardTemperature, backwardMaxTokens, p1MaxTokens,
                    p2MaxTokens, fewShots, initP1, initP2, loss, forwardTemplate, hiddenTemplate, residualTemplate,
                    backwardTemplate, posteriorTemplates, patienceRule, echoBurnIn, posteriorMiRegularization,
                    posteriorCorrectWeighting, useNce, p1Steps, promptSampling, normalizeFreeText);
        }
    }
}
