package io.dln.gateway.datasets;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A data set. {@code classCounts} (split → class → examples) is given when showing one data set: per output class
 * when it has classes, else per distinct target when there are few of them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(UUID id, String name, String instruction, List<String> outputClasses, String loss,
                          Counts counts, Map<String, Map<String, Long>> classCounts, Long runs, OffsetDateTime createdAt) {

    public record Counts(int train, int dev, int test) {
    }
}
