package io.dln.core.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The answer classes of a task, each written as its verbalizers joined by '|', e.g. "yes|Yes".
 * The first verbalizer is the class's prototype, the text the forward pass answers with.
 */
public record OutputClasses(List<String> protos) {

    public OutputClasses {
        Objects.requireNonNull(protos, "protos");
        if (protos.isEmpty()) throw new IllegalArgumentException("output classes must not be empty");
        for (String proto : protos) {
            if (proto == null || proto.isBlank() || Arrays.stream(proto.split("\\|")).anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("output class '" + proto + "' has an empty verbalizer");
            }
        }
        protos = List.copyOf(protos);
    }

    public static OutputClasses of(String... protos) {
        return new OutputClasses(List.of(protos));
    }

    public int size() {
        return protos.size();
    }

    public List<String> verbalizers(int classIndex) {
        return List.of(protos.get(classIndex).split("\\|"));
    }

    public String prototype(int classIndex) {
        return verbalizers(classIndex).getFirst();
    }

    /** The index of the class one of whose verbalizers is exactly {@code target}, or -1. */
    public int indexOf(String target) {
        for (int i = 0; i < protos.size(); i++) {
            if (verbalizers(i).contains(target)) return i;
        }
        return -1;
    }

    /** Every verbalizer of every class, each also with a leading space, as a tokenizer would split them. */
    public List<String> allSurfaceForms() {
        List<String> forms = new ArrayList<>();
        for (int i = 0; i < protos.size(); i++) {
            for (String v : verbalizers(i)) {
                forms.add(v);
                forms.add(" " + v);
            }
        }
        return forms;
    }
}
