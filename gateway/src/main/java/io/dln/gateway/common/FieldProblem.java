package io.dln.gateway.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What is wrong with one field of a request, or of one row of an upload ({@code line} is then set). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldProblem(String field, String message, Integer line) {

    public static FieldProblem of(String field, String message) {
        return new FieldProblem(field, message, null);
    }
}
