package io.dln.gateway.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the OpenAPI document a contract a client generator can rely on: every operation must have an operationId and
 * a tag (the build fails otherwise), and every error answer it can give is documented with the one error schema of
 * its API: {@code Error} under /api, OpenAI's {@code OpenAiError} under /v1. The responses every operation can give
 * (401 before any body is read, 429 from the rate limit, 500 and 503) are added here rather than on each method; the
 * ones that depend on the operation (403, 404, 409, 413, 502) are declared on it and only get their schema here.
 */
@OpenApiFilter(stages = {OpenApiFilter.RunStage.BUILD})
public class ContractFilter implements OASFilter {

    static final String ERROR = "Error";
    static final String OPENAI_ERROR = "OpenAiError";

    private static final Map<String, String> ALWAYS = Map.of(
            "401", "No valid API key or token",
            "429", "Too many requests for this key or tenant; Retry-After says when to try again",
            "500", "An unexpected failure; the body names no internal detail",
            "503", "The database or a service the gateway needs is unavailable; try again");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) api.setComponents(OASFactory.createComponents());
        api.getComponents().addSchema("FieldProblem", fieldProblem());
        api.getComponents().addSchema(ERROR, gatewayError());
        api.getComponents().addSchema(OPENAI_ERROR, openAiError());
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) return;
        api.getPaths().getPathItems().forEach((path, item) -> {
            boolean openAi = path.equals("/v1") || path.startsWith("/v1/");
            boolean secured = openAi || path.startsWith("/api/");
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.getOperations().entrySet()) {
                Operation op = e.getValue();
                String where = e.getKey() + " " + path;
                if (op.getOperationId() == null || op.getOperationId().isBlank()) {
                    throw new IllegalStateException("the operation " + where + " has no operationId");
                }
                if (op.getTags() == null || op.getTags().isEmpty()) {
                    throw new IllegalStateException("the operation " + where + " has no tag");
                }
                if (secured) complete(op, openAi, where);
            }
        });
    }

    private static void complete(Operation op, boolean openAi, String where) {
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        if (responses.getAPIResponses() == null || responses.getAPIResponses().keySet().stream().noneMatch(c -> c.startsWith("2"))) {
            throw new IllegalStateException("the operation " + where + " documents no 2xx answer");
        }
        boolean takesInput = op.getRequestBody() != null
                || (op.getParameters() != null && op.getParameters().stream().anyMatch(p -> p.getIn() != org.eclipse.microprofile.openapi.models.parameters.Parameter.In.HEADER));
        if (takesInput && !responses.hasAPIResponse("400")) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse().description("A parameter or field is invalid (each one named)"));
        }
        if (op.getRequestBody() != null && !responses.hasAPIResponse("413")) {
            responses.addAPIResponse("413", OASFactory.createAPIResponse().description("The body is larger than the gateway takes"));
        }
        for (Map.Entry<String, String> always : ALWAYS.entrySet()) {
            if (!responses.hasAPIResponse(always.getKey())) {
                responses.addAPIResponse(always.getKey(), OASFactory.createAPIResponse().description(always.getValue()));
            }
        }
        Map<String, APIResponse> sorted = new TreeMap<>(responses.getAPIResponses());
        sorted.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(errorContent(openAi));
                if (code.equals("429")) {
                    response.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
                }
            }
        });
        responses.setAPIResponses(sorted);
    }

    private static Content errorContent(boolean openAi) {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(openAi ? OPENAI_ERROR : ERROR)));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Schema fieldProblem() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One problem with one field of the request")
                .addProperty("field", string("The field, e.g. settings.batchSize or inputs[2]"))
                .addProperty("message", string("What is wrong with it"))
                .required(List.of("field", "message"));
    }

    private static Schema gatewayError() {
        Schema detail = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("code", string("A stable code, e.g. invalid_request, not_found, conflict, rate_limited"))
                .addProperty("message", string("What went wrong, for a person"))
                .addProperty("fields", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("FieldProblem")).description("One entry per invalid field"))
                .required(List.of("code", "message"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("Every error of the /api routes")
                .addProperty("error", detail)
                .required(List.of("error"))
                .example(Map.of("error", Map.of("code", "invalid_request", "message", "settings.batchSize: must be from 1 to 1000",
                        "fields", List.of(Map.of("field", "settings.batchSize", "message", "must be from 1 to 1000")))));
    }

    private static Schema openAiError() {
        Schema detail = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("message", string("What went wrong"))
                .addProperty("type", string("invalid_request_error, authentication_error, permission_error, not_found_error, "
                        + "rate_limit_error or api_error"))
                .addProperty("param", string("The request parameter at fault, if one is"))
                .addProperty("code", string("A stable code, e.g. model_not_found"))
                .required(List.of("message", "type"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("Every error of the /v1 routes, as OpenAI's API answers them")
                .addProperty("error", detail)
                .required(List.of("error"))
                .example(Map.of("error", Map.of("message", "temperature: must be from 0 to 2, was 5.0",
                        "type", "invalid_request_error", "param", "temperature", "code", "invalid_request")));
    }
}
