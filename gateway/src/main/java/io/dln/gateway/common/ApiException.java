package io.dln.gateway.common;

import java.util.List;
import java.util.Map;

/** An error answer with its HTTP status, a stable code, a message and, for invalid requests, one problem per field. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldProblem> fields;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message, List<FieldProblem> fields, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.fields = fields == null ? List.of() : List.copyOf(fields);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of(), Map.of());
    }

    public static ApiException invalid(String message, List<FieldProblem> fields) {
        return new ApiException(400, "invalid_request", message, fields, Map.of());
    }

    public static ApiException invalidField(String field, String message) {
        return invalid(field + ": " + message, List.of(FieldProblem.of(field, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldProblem> fields() {
        return fields;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
