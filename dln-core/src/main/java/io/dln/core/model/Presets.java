package io.dln.core.model;

import java.util.List;
import java.util.Locale;

/**
 * The hyperparameters of the paper's published experiment scripts (microsoft/deep-language-networks,
 * {@code projects/vi_dln/}), by name: {@code paper-dln1} and {@code paper-dln2}, each for a task family given
 * after a colon ({@code paper-dln2:bbh}, {@code :ordered-prompt}, {@code :leopard}; BBH when none is given).
 * Every value below names the file and line of the reference it comes from; what the scripts leave to
 * {@code vi_main.py}'s defaults comes from there. Settings given alongside a preset override its values.
 */
public final class Presets {

    public static final List<String> NAMES = List.of("paper-dln1", "paper-dln2");
    public static final List<String> FAMILIES = List.of("bbh", "ordered-prompt", "leopard");

    private static final String DLN1 = "projects/vi_dln/scripts/one_layer/any_DLN-1.sh";
    private static final String DLN2_BBH = "projects/vi_dln/scripts/two_layers_e2e/navigate.sh";
    private static final String DLN2_NLU = "projects/vi_dln/scripts/two_layers_e2e/sweep_nlu.sh";
    private static final String MAIN = "projects/vi_dln/vi_main.py";

    private Presets() {
    }

    /** The settings of a preset, e.g. "paper-dln2:leopard". */
    public static DlnSettings named(String preset) {
        String[] parts = preset.strip().toLowerCase(Locale.ROOT).split(":", 2);
        String family = parts.length > 1 ? parts[1] : "bbh";
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("unknown task family '" + family + "' in preset '" + preset + "'; families: "
                    + String.join(", ", FAMILIES));
        }
        return switch (parts[0]) {
            case "paper-dln1" -> paperDln1();
            case "paper-dln2" -> family.equals("bbh") ? paperDln2Bbh() : paperDln2Nlu();
            default -> throw new IllegalArgumentException("unknown preset '" + preset + "'; presets: "
                    + String.join(", ", NAMES) + ", each optionally followed by :" + String.join("|", FAMILIES));
        };
    }

    /** What every script leaves to vi_main.py's defaults or sets alike. */
    private static DlnSettings.Builder paperScripts() {
        return DlnSettings.builder()
                .backwardTemperature(0.7)             // every script: bwd_temp=0.7 (e.g. any_DLN-1.sh:6, navigate.sh:7, sweep_nlu.sh:16)
                .balanceBatch(true)                   // every script: --balance_batch (any_DLN-1.sh:29, navigate.sh:24, sweep_nlu.sh:55)
                .patienceRule(PatienceRule.RELOAD_BEST) // vi_main.py:588-592 reloads the best prompts after `tolerance` validations
                .validateEvery(2)                     // vi_main.py:157 --val_freq default 2 (sweep_nlu.sh:50 sets the same)
                .forwardTemperature(0.0)              // vi_main.py --fwd_temp default 0.0
                .backwardMaxTokens(512)               // vi_main.py:319 --bwd_max_tokens default 512
                .p1MaxTokens(256)                     // vi_main.py:325 --p1_max_tokens default 256 (sweep_nlu.sh:13 sets the same)
                .p2MaxTokens(20)                      // vi_main.py:331 --p2_max_tokens default 20
                .echoBurnIn(0.05);                    // vi_main.py:358 --burn_in_ratio default 0.05
    }

    /**
     * DLN-1 as the paper's scripts train it on BBH (navigate, logical deduction) and Ordered-Prompt (subj) alike;
     * the reference has no separate DLN-1 script for Leopard, which takes the same values.
     */
    static DlnSettings paperDln1() {
        return paperScripts()
                .layers(1)
                .iterations(20)                       // any_DLN-1.sh:3  iters=20
                .batchSize(20)                        // any_DLN-1.sh:4  batch_size=20
                .pSamples(10)                         // any_DLN-1.sh:5  num_p_samples=10
                .heldOutRanking(true)                 // any_DLN-1.sh:7  held_out_prompt_ranking=True
                .memorySize(2)                        // any_DLN-1.sh:8  use_memory=2
                .patience(2)                          // any_DLN-1.sh:9  tolerance=2
                .validateFirst(true)                  // any_DLN-1.sh:31 --do_first_eval
                .outputScoring(OutputScoring.LOGPROBS) // any_DLN-1.sh:44 --output_scoring_function logprobs
                .build();
    }

    /** DLN-2 on BBH: the published navigate script, which the phi-2 runs reuse for every family. */
    static DlnSettings paperDln2Bbh() {
        return paperScripts()
                .layers(2)
                .iterations(20)                       // navigate.sh:4  iters=20
                .batchSize(10)                        // navigate.sh:5  batch_size=10
                .pSamples(10)                         // navigate.sh:6  num_p_samples=10
                .heldOutRanking(true)                 // navigate.sh:8  held_out_prompt_ranking=True
                .memorySize(5)                        // navigate.sh:9  use_memory=5
                .patience(2)                          // navigate.sh:10 tolerance=2
                .hSamples(10)                         // navigate.sh:11 num_h_samples=10
                .logpPenalty(2.0)                     // navigate.sh:13 logp_penalty=2.
                .decayLogpPenalty(true)               // vi_main.py --decay_logp_penalty default True
                .posteriorTemperature(1.0)            // navigate.sh:14 posterior_temp=1.
                .trustFactor(5.0)                     // navigate.sh:15 trust_factor=5.
                .hiddenTemplate("hidden-forward")     // navigate.sh:16 p_hidden suffix_forward_tbs
                .posteriorTemplates(List.of("posterior-with-answer", "hidden-forward")) // navigate.sh:17 suffix_forward_tbs_y|suffix_forward_tbs
                .forwardUseClasses(true)              // navigate.sh:43 --forward_use_classes True
                .stripOptionsForHidden(true)          // navigate.sh:46 --strip_options_for_hidden True
                .validateFirst(false)                 // navigate.sh:23-46 no --do_first_eval
                .build();
    }

    /**
     * DLN-2 on the NLU families (Ordered-Prompt: mpqa, subj, trec; Leopard: airline, disaster): the NLU sweep
     * script. Its sweep ranges (logp penalty 0, 2, 5, 10; h-argmax on and off) are fixed at 2 and off here.
     */
    static DlnSettings paperDln2Nlu() {
        return paperScripts()
                .layers(2)
                .iterations(50)                       // sweep_nlu.sh:3  iters=50
                .batchSize(20)                        // sweep_nlu.sh:4  batch_size=20
                .pSamples(20)                         // sweep_nlu.sh:5  num_p_samples=20
                .memorySize(5)                        // sweep_nlu.sh:6  use_memory=5
                .patience(2)                          // sweep_nlu.sh:7  tolerance=2
                .patienceRule(PatienceRule.RELOAD_BEST) // vi_main.py:588-592
                .hSamples(5)                          // sweep_nlu.sh:8  num_h_samples=5
                .hiddenTemplate("hidden-forward")     // sweep_nlu.sh:11 p_hidden analysis_forward
                .posteriorTemplates(List.of("hidden-forward", "posterior-with-answer")) // sweep_nlu.sh:12 analysis_forward|analysis_forward_y
                .posteriorTemperature(1.0)            // sweep_nlu.sh:17 posterior_temps=(1.0)
                .decayLogpPenalty(true)               // sweep_nlu.sh:18 logp_decays=(True)
                .trustFactor(5.0)                     // sweep_nlu.sh:21 trust_factors=(5)
                .heldOutRanking(false)                // sweep_nlu.sh:22 held_out_prompt_ranking=(False)
                .logpPenalty(2.0)                     // sweep_nlu.sh:26 log_penalties=(0.0 2.0 5.0 10.0), one of them
                .useHArgmax(false)                    // sweep_nlu.sh:28 h_max=(True False), one of them
                .rewriteLossOnly(true)                // sweep_nlu.sh:49 --rewrite_loss_only True
                .validateFirst(true)                  // sweep_nlu.sh:51 --do_first_eval
                .forwardUseClasses(true)              // sweep_nlu.sh:76 --forward_use_classes True
                .build();
    }

    /** Which family a data set belongs to, by its loader's format name ("bbh", "ordered prompt", "leopard"). */
    public static String familyOf(String format) {
        if (format == null) return "bbh";
        String f = format.toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
        return FAMILIES.contains(f) ? f : "bbh";
    }
}
