package io.dln.gateway.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns every failure into the JSON error shape; nothing internal (stack traces, SQL) reaches the client. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        return ErrorResponses.of(e, request.path());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<FieldProblem> fields = e.getConstraintViolations().stream()
                .map(v -> FieldProblem.of(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
        String message = fields.size() == 1
                ? fields.getFirst().field() + ": " + fields.getFirst().message()
                : "the request has " + fields.size() + " invalid fields";
        return ErrorResponses.of(ApiException.invalid(message, fields), request.path());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return ErrorResponses.of(jsonProblem(e), request.path());
    }

    /** Quarkus has its own mappers for these; ours win so that every error has the same shape. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, HttpServerRequest request) {
        return ErrorResponses.of(jsonProblem(e), request.path());
    }

    @ServerExceptionMapper
    public Response format(InvalidFormatException e, HttpServerRequest request) {
        return ErrorResponses.of(jsonProblem(e), request.path());
    }

    @ServerExceptionMapper
    public Response parse(JsonParseException e, HttpServerRequest request) {
        return ErrorResponses.of(jsonProblem(e), request.path());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof JsonProcessingException json) return ErrorResponses.of(jsonProblem(json), request.path());
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        String message = status == 404 ? "no such resource: " + request.path()
                : status >= 500 ? "internal error" : e.getMessage();
        return ErrorResponses.of(status, code, message, List.of(), Map.of(), request.path());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "request %s %s failed (incident %s)", request.method(), request.path(), incident);
        return ErrorResponses.of(500, "internal_error", "internal error; incident " + incident, List.of(), Map.of(),
                request.path());
    }

    /** A body that is not JSON, or JSON of the wrong shape: names the field by its JSON path. */
    public static ApiException jsonProblem(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage(), List.of());
        }
        String field = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        if (field.isEmpty()) field = "body";
        String message = e instanceof UnrecognizedPropertyException ? "unknown field" : "invalid value: " + firstLine(e.getOriginalMessage());
        return ApiException.invalid(field + ": " + message, List.of(FieldProblem.of(field, message)));
    }

    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** "create.request.settings.iterations" → "settings.iterations"; a query parameter keeps its own name. */
    static String fieldOf(ConstraintViolation<?> v) {
        List<String> properties = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) parameter = node.getName();
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                String name = node.getName() == null ? "" : node.getName();
                if (node.getIndex() != null) name = name + "[" + node.getIndex() + "]";
                properties.add(name);
            }
        }
        if (!properties.isEmpty()) return String.join(".", properties).replace(".[", "[");
        return parameter != null ? parameter : v.getPropertyPath().toString();
    }

    private static String firstLine(String text) {
        if (text == null) return "";
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
