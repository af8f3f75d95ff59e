package io.dln.core.lm;

import java.util.Objects;

/** The distribution of the first generated token after {@code context}, over the given classes. */
public record ClassDistributionRequest(String context, OutputClasses classes, VerbalizerAggregation aggregation) {

    public ClassDistributionRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(classes, "classes");
        aggregation = aggregation == null ? VerbalizerAggregation.MAX : aggregation;
    }
}
