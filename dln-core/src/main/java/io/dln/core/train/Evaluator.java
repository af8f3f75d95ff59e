package io.dln.core.train;

import io.dln.core.data.Example;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.NetworkPrompts;

import java.util.ArrayList;
import java.util.List;

/** Accuracy of a network's prompts on a list of examples, evaluated in chunks so progress can be shown. */
public final class Evaluator {

    private static final int CHUNK = 50;

    private final DeepLanguageNetwork network;
    private final TrainingListener listener;

    public Evaluator(DeepLanguageNetwork network, TrainingListener listener) {
        this.network = network;
        this.listener = listener;
    }

    public double accuracy(NetworkPrompts prompts, List<Example> examples, String split) {
        return accuracy(prompts, examples, examples.stream().map(Example::input).toList(), split);
    }

    /** Accuracy with inputs that may differ from the examples' own (e.g. prefixed with few-shot demonstrations). */
    public double accuracy(NetworkPrompts prompts, List<Example> examples, List<String> inputs, String split) {
        if (examples.isEmpty()) throw new IllegalArgumentException("the " + split + " split is empty");
        double right = 0;
        for (int from = 0; from < examples.size(); from += CHUNK) {
            int to = Math.min(from + CHUNK, examples.size());
            List<String> outputs = network.predict(prompts, new ArrayList<>(inputs.subList(from, to))).outputs();
            for (int i = from; i < to; i++) {
                if (network.loss().isCorrect(outputs.get(i - from), examples.get(i).target())) right++;
            }
            listener.evaluated(split, to, examples.size());
        }
        return right / examples.size();
    }
}
