package io.dln.gateway.common;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Every error the gateway answers: {@code {"error": {"code", "message", "fields": [...]}}}. On the
 * OpenAI-compatible API the same object also carries OpenAI's {@code type} and {@code param}.
 */
public record ErrorBody(Detail error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String code, String message, String type, String param, List<FieldProblem> fields) {
    }
}
