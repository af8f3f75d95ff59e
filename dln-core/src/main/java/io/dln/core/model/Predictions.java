package io.dln.core.model;

import java.util.List;

/** A forward pass: the answers and, for DLN-2, the hidden texts they were given (empty for DLN-1). */
public record Predictions(List<String> outputs, List<String> hiddens) {
}
