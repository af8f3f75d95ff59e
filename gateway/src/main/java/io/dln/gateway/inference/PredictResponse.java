package io.dln.gateway.inference;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictResponse(String model, int version, List<String> outputs, List<String> hidden,
                              List<Map<String, Double>> classProbabilities, Usage usage) {

    @Schema(name = "PredictUsage")
    public record Usage(long promptTokens, long completionTokens) {
    }
}
