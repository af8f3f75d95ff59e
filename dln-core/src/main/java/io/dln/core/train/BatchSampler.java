package io.dln.core.train;

import io.dln.core.data.Example;
import io.dln.core.random.Rng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Draws training batches. Balanced batches visit the classes in a random order, round after round,
 * taking a random example of each class not yet in the batch; unbalanced ones are a random sample
 * without replacement.
 */
public final class BatchSampler {

    private final List<Example> examples;
    private final Map<String, List<Example>> byClass = new LinkedHashMap<>();
    private final boolean balanced;

    public BatchSampler(List<Example> examples, Function<String, String> classOf, boolean balanced) {
        if (examples.isEmpty()) throw new IllegalArgumentException("the training split is empty");
        this.examples = examples;
        for (Example e : examples) byClass.computeIfAbsent(classOf.apply(e.target()), c -> new ArrayList<>()).add(e);
        this.balanced = balanced && byClass.size() > 1;
    }

    public List<Example> next(int size, Rng rng) {
        int wanted = Math.min(size, examples.size());
        if (!balanced) return rng.shuffled(examples).subList(0, wanted);
        List<List<Example>> remaining = new ArrayList<>();
        for (List<Example> group : byClass.values()) remaining.add(rng.shuffled(group));
        List<Example> batch = new ArrayList<>(wanted);
        while (batch.size() < wanted) {
            for (List<Example> group : rng.shuffled(remaining)) {
                if (batch.size() == wanted) break;
                if (!group.isEmpty()) batch.add(group.removeLast());
            }
        }
        return batch;
    }
}
