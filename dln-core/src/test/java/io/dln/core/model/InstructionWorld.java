package io.dln.core.model;

import io.dln.core.data.Example;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.testing.ScriptedLanguageModel;

import java.util.List;
import java.util.Map;

import static io.dln.core.testing.ScriptedLanguageModel.section;

/**
 * A scripted world for DLN-1 steps: each instruction gives the right class its own probability on every example, and
 * the backward LLM's proposal depends only on the rewrite message (clearer: "Meh", more useful: "Better", else "Bad").
 */
final class InstructionWorld {

    static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");
    static final List<Example> BATCH = List.of(
            new Example("first [yes]", "Yes"), new Example("second [no]", "No"),
            new Example("third [yes]", "Yes"), new Example("fourth [no]", "No"));

    /** How likely each instruction makes the right class. */
    static final Map<String, Double> RIGHT_CLASS_PROBABILITY = Map.of(
            "Start here.", 0.3, "Better instruction.", 0.9, "Meh instruction.", 0.6, "Bad instruction.", 0.1,
            "A person's instruction.", 0.7);

    private InstructionWorld() {
    }

    static ScriptedLanguageModel model() {
        return new ScriptedLanguageModel()
                .generating(request -> {
                    String rewrite = section(request.prompt(), "### Request");
                    if (rewrite.contains("clearer")) return "Meh instruction.";
                    if (rewrite.contains("useful")) return "Better instruction.";
                    return "Bad instruction.";
                })
                .classifying(InstructionWorld::distribution);
    }

    static DeepLanguageNetwork network(DlnSettings settings, ScriptedLanguageModel model) {
        return new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model), YES_NO, new ExactMatchLoss());
    }

    private static List<Double> distribution(ClassDistributionRequest request) {
        double right = RIGHT_CLASS_PROBABILITY.getOrDefault(section(request.context(), "### Instruction"), 0.2);
        boolean yes = section(request.context(), "### Input").contains("[yes]");
        return yes ? List.of(right, 1 - right) : List.of(1 - right, right);
    }
}
