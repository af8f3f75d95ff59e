package io.dln.gateway.openai;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.lm.TokenUsage;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.ErrorResponses;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.StorableText;
import io.dln.gateway.inference.AnswerStream;
import io.dln.gateway.inference.InferenceMetrics;
import io.dln.gateway.inference.Prediction;
import io.dln.gateway.inference.Predictor;
import io.dln.gateway.registry.ModelRef;
import io.dln.gateway.registry.ModelResolver;
import io.dln.gateway.registry.ModelSummary;
import io.dln.gateway.registry.RegistryService;
import io.dln.gateway.registry.ServedModel;
import io.dln.gateway.security.CurrentCaller;
import io.dln.gateway.security.Role;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenAI-compatible API: a trained DLN is the model {@code dln/<name>[:<alias|version>]}; the last user message is
 * its input and its answer the assistant's message. {@code stream: true} answers with server-sent chunks ending with
 * {@code data: [DONE]}: the hidden layer runs first, then the output layer's tokens are forwarded as the backend
 * generates them (an answer by classes is known whole at once, so it comes as one chunk).
 */
@Path("/v1")
@RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
@Tag(name = "OpenAI-compatible", description = "Call trained DLNs with any OpenAI client")
@SecurityRequirement(name = "apiKey")
public class OpenAiResource {

    public static final String PREFIX = "dln/";

    private final ModelResolver models;
    private final RegistryService registry;
    private final Predictor predictor;
    private final InferenceMetrics metrics;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public OpenAiResource(ModelResolver models, RegistryService registry, Predictor predictor, InferenceMetrics metrics,
                          CurrentCaller caller, ObjectMapper json) {
        this.models = models;
        this.registry = registry;
        this.predictor = predictor;
        this.metrics = metrics;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(operationId = "createChatCompletion", summary = "Chat completion by a trained DLN", description = "model: dln/<name>[:<alias|version>] (default alias "
            + "'prod', else the newest version). The last user message is the input. The sampling parameters are checked as OpenAI "
            + "checks them; a DLN decodes as it was trained (see the gateway README for which parameters it honours).")
    @APIResponse(responseCode = "200", description = "The DLN's answer; with stream: true, server-sent chunks ending with data: [DONE]",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChatResponses.Completion.class)),
                    @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = ChatResponses.Chunk.class))})
    @APIResponse(responseCode = "403", description = "The tenant may not use the DLN's backend")
    @APIResponse(responseCode = "404", description = "No such model (code model_not_found)")
    @APIResponse(responseCode = "502", description = "The backend failed (never its address or its answer)")
    @APIResponse(responseCode = "504", description = "The backend did not answer in time")
    public Response chat(ChatRequest request) {
        if (request == null) throw ApiException.invalidField("model", "the body must be a chat completion request");
        List<FieldProblem> problems = request.problems();
        if (!problems.isEmpty()) {
            FieldProblem first = problems.getFirst();
            throw ApiException.invalid(first.field() + ": " + first.message(), problems);
        }
        ModelRef ref = parseModel(request.model());
        String input = lastUserText(request.messages());
        long start = System.nanoTime();
        if (Boolean.TRUE.equals(request.stream())) return stream(request, ref, input, start);
        boolean ok = false;
        Prediction p = null;
        try {
            ServedModel model = resolve(caller.tenant(), ref);
            p = predictor.predict(caller.tenant(), model, List.of(input), false, false);
            ok = true;
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            String modelId = PREFIX + model.name() + ":" + model.version();
            long created = System.currentTimeMillis() / 1000;
            var usage = new ChatResponses.Usage(p.usage().promptTokens(), p.usage().completionTokens(), p.usage().total());
            String answer = p.outputs().getFirst();
            var completion = new ChatResponses.Completion(id, "chat.completion", created, modelId,
                    List.of(new ChatResponses.Choice(0, new ChatResponses.AssistantMessage("assistant", answer, null), "stop", null)),
                    usage, modelId);
            return Response.ok(completion).type(MediaType.APPLICATION_JSON_TYPE).build();
        } finally {
            metrics.record("chat", ok, System.nanoTime() - start, p == null ? null : p.usage());
        }
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(operationId = "listOpenAiModels", summary = "The trained DLNs as OpenAI models", description = "dln/<name> and dln/<name>:<alias> for each alias.")
    public ChatResponses.ModelList list() {
        String tenant = caller.tenant();
        List<ChatResponses.ModelEntry> entries = new ArrayList<>();
        for (ModelSummary m : registry.names(tenant)) {
            long created = m.updatedAt() == null ? 0 : m.updatedAt().toEpochSecond();
            entries.add(new ChatResponses.ModelEntry(PREFIX + m.name(), "model", created, tenant));
            m.aliases().keySet().forEach(a -> entries.add(new ChatResponses.ModelEntry(PREFIX + m.name() + ":" + a, "model", created, tenant)));
        }
        return new ChatResponses.ModelList("list", entries);
    }

    @GET
    @Path("/models/{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(operationId = "retrieveOpenAiModel", summary = "One trained DLN as an OpenAI model")
    @APIResponse(responseCode = "200", description = "The model", content = @Content(schema = @Schema(implementation = ChatResponses.ModelEntry.class)))
    @APIResponse(responseCode = "404", description = "No such model (code model_not_found)")
    public ChatResponses.ModelEntry get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        ServedModel model = resolve(tenant, parseModel(id));
        var created = registry.version(tenant, model.name(), model.version()).createdAt();
        return new ChatResponses.ModelEntry(id, "model", created == null ? 0 : created.toEpochSecond(), tenant);
    }

    /** An unknown model is OpenAI's 404 model_not_found, whether its name or its alias or version is unknown. */
    private ServedModel resolve(String tenant, ModelRef ref) {
        try {
            return models.resolve(tenant, ref);
        } catch (ApiException e) {
            if (e.status() != 404) throw e;
            throw modelNotFound(PREFIX + ref.describe());
        }
    }

    private static ApiException modelNotFound(String model) {
        return new ApiException(404, "model_not_found", "the model '" + model + "' does not exist; models here are "
                + "named dln/<name>[:<alias|version>]", List.of(FieldProblem.of("model", "unknown model")), Map.of());
    }

    static ModelRef parseModel(String model) {
        if (model == null || model.isBlank()) throw ApiException.invalidField("model", "missing");
        if (!model.startsWith(PREFIX) || model.length() == PREFIX.length()) {
            throw modelNotFound(model);
        }
        return ModelRef.parse(model.substring(PREFIX.length()));
    }

    static String lastUserText(List<ChatRequest.Message> messages) {
        if (messages != null) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                ChatRequest.Message m = messages.get(i);
                if (m != null && "user".equals(m.role())) {
                    String text = text(m.content());
                    if (text == null || text.isBlank()) {
                        throw ApiException.invalidField("messages[" + i + "].content", "the last user message has no text");
                    }
                    return StorableText.check("messages[" + i + "].content", text);
                }
            }
        }
        throw ApiException.invalidField("messages", "needs a user message: the DLN answers the last one");
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return null;
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    if (!sb.isEmpty()) sb.append('\n');
                    sb.append(part.get("text").asText());
                }
            }
            return sb.toString();
        }
        return null;
    }

    /**
     * The answer as server-sent chunks, each piece written and flushed as the backend gives it. What can be refused is
     * refused before the stream starts (a JSON error with its status); a backend failure after the first chunk can only
     * be told in the stream: an {@code error} event, as OpenAI's streams carry one, and no {@code [DONE]}.
     */
    private Response stream(ChatRequest request, ModelRef ref, String input, long start) {
        AnswerStream answer;
        ServedModel model;
        try {
            model = resolve(caller.tenant(), ref);
            answer = predictor.stream(caller.tenant(), model, input);
        } catch (RuntimeException e) {
            metrics.record("chat", false, System.nanoTime() - start, null);
            throw e;
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        String modelId = PREFIX + model.name() + ":" + model.version();
        long created = System.currentTimeMillis() / 1000;
        boolean withUsage = request.streamOptions() != null && Boolean.TRUE.equals(request.streamOptions().includeUsage());
        StreamingOutput body = out -> {
            boolean ok = false;
            try (answer) {
                event(out, chunk(id, created, modelId, new ChatResponses.Delta("assistant", ""), null));
                for (String piece = answer.next(); piece != null; piece = answer.next()) {
                    event(out, chunk(id, created, modelId, new ChatResponses.Delta(null, piece), null));
                }
                event(out, chunk(id, created, modelId, new ChatResponses.Delta(null, null), "stop"));
                if (withUsage) {
                    TokenUsage u = answer.usage();
                    event(out, new ChatResponses.Chunk(id, "chat.completion.chunk", created, modelId, List.of(),
                            new ChatResponses.Usage(u.promptTokens(), u.completionTokens(), u.total())));
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                ok = true;
            } catch (ApiException e) {
                event(out, ErrorResponses.body(e.status(), e.code(), e.getMessage(), e.fields(), "/v1"));
            } finally {
                metrics.record("chat", ok, System.nanoTime() - start, answer.usage());
            }
        };
        return Response.ok(body).type("text/event-stream").header("Cache-Control", "no-cache").build();
    }

    private static ChatResponses.Chunk chunk(String id, long created, String model, ChatResponses.Delta delta, String finish) {
        return new ChatResponses.Chunk(id, "chat.completion.chunk", created, model,
                List.of(new ChatResponses.ChunkChoice(0, delta, finish, null)), null);
    }

    /** One server-sent event, flushed so that it leaves now rather than when a buffer fills. */
    private void event(OutputStream out, Object data) throws IOException {
        out.write(("data: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
