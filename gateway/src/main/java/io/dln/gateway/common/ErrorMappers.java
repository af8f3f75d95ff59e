package io.dln.gateway.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dln.gateway.security.ApiKeyAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.persistence.PersistenceException;
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
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** Turns every failure into the JSON error shape; nothing internal (stack traces, SQL) reaches the client. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final SecurityIdentity identity;

    public ErrorMappers(SecurityIdentity identity) {
        this.identity = identity;
    }

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

    /** A role that may not call the endpoint ({@code @RolesAllowed}). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        String roles = identity.getRoles().isEmpty() ? "no role" : "role '" + String.join("', '", new TreeSet<>(identity.getRoles())) + "'";
        return ErrorResponses.of(new ApiException(403, "forbidden", "a caller with " + roles + " may not do this"), request.path());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return ErrorResponses.of(new ApiException(401, "unauthenticated", "an API key or token is required", null,
                Map.of("WWW-Authenticate", "Bearer")), request.path());
    }

    /** Credentials refused in the HTTP layer by a mechanism that left the answer to us (OIDC). */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return ErrorResponses.of(ApiKeyAuthenticationMechanism.refusal(request), request.path());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        String incident = UUID.randomUUID().toString();
        SQLException sql = Persistence.sqlCause(e);
        if (sql != null || e instanceof PersistenceException) {
            // the message of a database error may hold the statement and the user's values: logged by kind only
            LOG.errorf("request %s %s failed in the database: %s (SQLState %s; incident %s)", request.method(), request.path(),
                    Persistence.kind(e), sql == null ? "none" : sql.getSQLState(), incident);
            if (Persistence.unavailable(e)) {
                return ErrorResponses.of(503, "database_unavailable", "the database is unavailable; retry shortly (incident "
                        + incident + ")", List.of(), Map.of("Retry-After", "5"), request.path());
            }
        } else {
            LOG.errorf(e, "request %s %s failed (incident %s)", request.method(), request.path(), incident);
        }
        return ErrorResponses.of(500, "internal_error", "internal error; incident " + incident, List.of(), Map.of(),
                request.path());
    }

    /** A body that is not JSON, or JSON of the wrong shape: names the field by its JSON path. */
    public static ApiException jsonProblem(JsonProcessingException e) {
        // a parse error inside a property is wrapped by the mapper: the parser itself knows the full path
        if (e instanceof JsonMappingException && e.getCause() instanceof StreamReadException cause) e = cause;
        if (e instanceof StreamReadException read && !(e instanceof JsonMappingException)) {
            String field = read.getProcessor() instanceof JsonParser parser ? path(parser.getParsingContext()) : "";
            String original = firstLine(e.getOriginalMessage());
            boolean nonFinite = original.contains("Non-standard token");
            String message = nonFinite ? "must be a finite number (NaN and Infinity are not numbers in JSON)"
                    : e instanceof InputCoercionException ? "out of range: " + original : "the body is not valid JSON: " + original;
            if (field.isEmpty()) return ApiException.invalid(message, List.of());
            return ApiException.invalid(field + ": " + message, List.of(FieldProblem.of(field, message)));
        }
        String field = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        if (field.isEmpty()) field = "body";
        String message = e instanceof UnrecognizedPropertyException ? "unknown field" : describe(e);
        return ApiException.invalid(field + ": " + message, List.of(FieldProblem.of(field, message)));
    }

    /** What the field must be, when the mapper knows the type it wanted; else Jackson's own first line. */
    private static String describe(JsonProcessingException e) {
        String original = firstLine(e.getOriginalMessage());
        // our own deserializers' messages (StrictJson) say it already
        if (original.startsWith("must be") || original.startsWith("contains")) return original;
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> type = m.getTargetType();
            String wanted = type == String.class ? "a string"
                    : type == Integer.class || type == int.class || type == Long.class || type == long.class ? "an integer"
                    : type == Double.class || type == double.class || type == Float.class || type == float.class ? "a number"
                    : type == Boolean.class || type == boolean.class ? "true or false"
                    : type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                    : null;
            if (wanted != null) return "must be " + wanted + " (" + original + ")";
        }
        return "invalid value: " + original;
    }

    /** The JSON path of where a parser stands: "settings.posteriorTemperature", "inputs[2]". */
    static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) parts.add(0, "." + c.getCurrentName());
            else if (c.inArray()) parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
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
