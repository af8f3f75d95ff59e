package io.dln.gateway.datasets;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import io.dln.core.data.TaskCatalog;
import io.dln.core.data.TaskSpec;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.Losses;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.common.Page;
import io.dln.gateway.common.QueryParams;
import io.dln.gateway.common.StorableText;
import io.dln.gateway.security.CurrentCaller;
import io.dln.gateway.security.Role;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
@Tag(name = "Data sets", description = "Labelled examples to train on")
@SecurityRequirement(name = "apiKey")
public class DatasetResource {

    private final DatasetService datasets;
    private final CurrentCaller caller;
    private final GatewayConfig config;

    public DatasetResource(DatasetService datasets, CurrentCaller caller, GatewayConfig config) {
        this.datasets = datasets;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @RunOnVirtualThread
    @Operation(operationId = "uploadDataset", summary = "Upload a data set",
            description = "The body is the file: JSON lines or CSV of input, target and optionally split, or a BBH JSON file. "
                    + "Every row is checked and every problem reported with its line and field; nothing is stored unless all rows are valid.")
    @RequestBody(description = "The data file, streamed; with application/octet-stream, ?format= says what it is", required = true,
            content = {
            @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "Stored", content = @Content(schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "400", description = "Invalid rows or parameters, with one entry per problem")
    @APIResponse(responseCode = "409", description = "A data set of this name exists")
    @APIResponse(responseCode = "413", description = "Larger than dln.gateway.limits.max-upload-size")
    public Response upload(
            @QueryParam("name") @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}",
                    message = "must be 1-200 letters, digits, spaces, '.', '_' or '-'") String name,
            @Parameter(description = "jsonl, csv or bbh; by default implied by the Content-Type") @QueryParam("format") String format,
            @Parameter(description = "A task of the built-in catalogue whose instruction, classes and loss are the defaults")
            @QueryParam("task") String task,
            @QueryParam("instruction") String instruction,
            @Parameter(description = "Output classes, one parameter each, verbalizers joined by '|': classes=yes|Yes&classes=no|No")
            @QueryParam("classes") List<String> classes,
            @Parameter(description = "exact_match (default) or number_presence") @QueryParam("loss") String loss,
            @Parameter(description = "Seed of the split when the rows give none (an integer, default 0)") @QueryParam("seed") String seed,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        UploadSpec spec = spec(name, UploadFormat.of(format, contentType), task, instruction, classes, loss,
                QueryParams.integer("seed", seed, 0L, Long.MIN_VALUE, Long.MAX_VALUE));
        DatasetView created = datasets.upload(caller.tenant(), spec, body);
        return Response.created(URI.create("/api/datasets/" + created.id())).entity(created).build();
    }

    @GET
    @RunOnVirtualThread
    @Operation(operationId = "listDatasets", summary = "List data sets", description = "Newest first.")
    @APIResponse(responseCode = "200", description = "A page of data sets")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    public Page<DatasetView> list(@Parameter(description = "From 0") @QueryParam("page") String page,
                                  @Parameter(description = "From 1 to dln.gateway.limits.max-page-size") @QueryParam("size") String size) {
        QueryParams.PageRequest request = QueryParams.PageRequest.of(page, size, config.limits());
        return datasets.list(caller.tenant(), request.page(), request.size());
    }

    @GET
    @Path("/{id}")
    @RunOnVirtualThread
    @Operation(operationId = "getDataset", summary = "Show a data set", description = "With its examples counted per split and per class.")
    @APIResponse(responseCode = "200", description = "The data set", content = @Content(schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such data set in this tenant")
    public DatasetView show(@PathParam("id") UUID id) {
        return datasets.show(caller.tenant(), id);
    }

    @DELETE
    @Path("/{id}")
    @RunOnVirtualThread
    @Operation(operationId = "deleteDataset", summary = "Delete a data set")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such data set in this tenant")
    @APIResponse(responseCode = "409", description = "Runs use it")
    public Response delete(@PathParam("id") UUID id) {
        datasets.delete(caller.tenant(), id);
        return Response.noContent().build();
    }

    private static void checkText(List<FieldProblem> problems, String field, String text) {
        String problem = StorableText.problem(text);
        if (problem != null) problems.add(FieldProblem.of(field, problem));
    }

    private static UploadSpec spec(String name, UploadFormat format, String task, String instruction, List<String> classes,
                                   String loss, long seed) {
        List<FieldProblem> problems = new ArrayList<>();
        Optional<TaskSpec> known = Optional.empty();
        if (task != null && !task.isBlank()) {
            known = TaskCatalog.builtIn().find(task.strip());
            if (known.isEmpty()) {
                problems.add(FieldProblem.of("task", "unknown task '" + task + "'; known: " + String.join(", ", TaskCatalog.builtIn().names())));
            }
        }
        OutputClasses outputClasses = known.map(TaskSpec::outputClasses).orElse(null);
        if (classes != null && !classes.isEmpty()) {
            try {
                outputClasses = new OutputClasses(classes.stream().map(String::strip).toList());
            } catch (IllegalArgumentException e) {
                problems.add(FieldProblem.of("classes", e.getMessage()));
            }
        }
        String lossName = loss != null && !loss.isBlank() ? loss.strip() : known.map(TaskSpec::lossName).orElse("exact_match");
        if (!Losses.NAMES.contains(lossName)) {
            problems.add(FieldProblem.of("loss", "unknown loss '" + lossName + "'; losses: " + String.join(", ", Losses.NAMES)));
        }
        checkText(problems, "instruction", instruction);
        if (classes != null) classes.forEach(c -> checkText(problems, "classes", c));
        if (!problems.isEmpty()) throw ApiException.invalid("invalid upload parameters", problems);
        String text = instruction != null ? instruction.strip() : known.map(TaskSpec::instruction).orElse("");
        return new UploadSpec(name, format, text, outputClasses, lossName, seed);
    }
}
