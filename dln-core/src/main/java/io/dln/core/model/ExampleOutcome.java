package io.dln.core.model;

import java.util.List;

/**
 * One example of a step's batch as the step saw it: the forward pass's hidden text (DLN-2; null for DLN-1) and
 * answer, its loss, and the hidden texts the posterior drew for it (empty for DLN-1 and for a step that stopped
 * after its forward pass).
 */
public record ExampleOutcome(String input, String target, String hidden, String output, double loss,
                             List<HiddenSample> posterior) {

    public ExampleOutcome {
        posterior = List.copyOf(posterior);
    }

    public boolean correct() {
        return loss == 0;
    }
}
