package io.dln.gateway.inference;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictResponse(String model, int version, List<String> outputs, List<String> hidden,
                              List<Map<String, Double>> classProbabilities, Usage usage) {

    public record Usage(long promptTokens, long completionTokens) {
    }
}
