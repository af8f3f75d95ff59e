package io.dln.gateway.common;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** Builds error responses in the gateway's shape, or in OpenAI's for paths under /v1. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(ApiException e, String path) {
        return of(e.status(), e.code(), e.getMessage(), e.fields(), e.headers(), path);
    }

    public static Response of(int status, String code, String message, List<FieldProblem> fields,
                              Map<String, String> headers, String path) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(status, code, message, fields, path));
        if (headers != null) headers.forEach(response::header);
        return response.build();
    }

    /** The error document: OpenAI's shape under /v1, the gateway's elsewhere. */
    public static ErrorBody body(int status, String code, String message, List<FieldProblem> fields, String path) {
        ErrorBody.Detail detail = openAi(path)
                ? new ErrorBody.Detail(code, message, openAiType(status), param(fields), null)
                : new ErrorBody.Detail(code, message, null, null, fields == null ? List.of() : fields);
        return new ErrorBody(detail);
    }

    public static boolean openAi(String path) {
        return path != null && (path.equals("/v1") || path.startsWith("/v1/"));
    }

    static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static String param(List<FieldProblem> fields) {
        return fields == null || fields.isEmpty() ? null : fields.getFirst().field();
    }
}
