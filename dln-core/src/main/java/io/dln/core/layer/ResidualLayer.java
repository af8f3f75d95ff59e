package io.dln.core.layer;

import io.dln.core.template.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The residual connection of a DLN-2: the output layer reads the input together with the hidden text. */
public final class ResidualLayer {

    private final Template template;

    public ResidualLayer(Template template) {
        this.template = template;
    }

    public String join(String input, String hidden) {
        return template.render(Map.of("input", input, "output", hidden));
    }

    public List<String> join(List<String> inputs, List<String> hiddens) {
        List<String> joined = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) joined.add(join(inputs.get(i), hiddens.get(i)));
        return joined;
    }
}
