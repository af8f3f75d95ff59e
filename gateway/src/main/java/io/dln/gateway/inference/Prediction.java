package io.dln.gateway.inference;

import io.dln.core.lm.TokenUsage;

import java.util.List;
import java.util.Map;

/** A forward pass: answers, and when asked the hidden texts and class probabilities; null when not asked. */
public record Prediction(List<String> outputs, List<String> hidden, List<Map<String, Double>> classProbabilities,
                         TokenUsage usage) {
}
