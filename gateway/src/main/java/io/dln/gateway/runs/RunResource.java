package io.dln.gateway.runs;

import jakarta.ws.rs.HeaderParam;
import io.dln.messages.RunEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.ErrorMappers;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.common.Page;
import io.dln.gateway.common.QueryParams;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import io.dln.gateway.security.Caller;
import io.dln.gateway.security.CurrentCaller;
import io.dln.gateway.security.Role;
import io.dln.store.RunStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Multi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
@Tag(name = "Runs", description = "Training runs: start, watch, pause, guide, cancel, resume")
@SecurityRequirement(name = "apiKey")
public class RunResource {

    private final RunService runs;
    private final GuidanceService guidance;
    private final RunEventFeed feed;
    private final RunStreams streams;
    private final CurrentCaller caller;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public RunResource(RunService runs, GuidanceService guidance, RunEventFeed feed, RunStreams streams, CurrentCaller caller,
                       ObjectMapper json, GatewayConfig config) {
        this.runs = runs;
        this.guidance = guidance;
        this.feed = feed;
        this.streams = streams;
        this.caller = caller;
        this.json = json;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(operationId = "createRun", summary = "Start a run", description = "Queues a training run; refused with one message per field when its settings "
            + "are out of range, name an unknown template or backend, or need a capability its backends lack.")
    @APIResponse(responseCode = "201", description = "Queued", content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "400", description = "Invalid settings or backends")
    @APIResponse(responseCode = "404", description = "No such data set")
    @APIResponse(responseCode = "429", description = "Too many requests, or the tenant has as many runs queued or running as it may")
    public Response create(@Valid @NotNull CreateRunRequest request) {
        Caller c = caller.get();
        RunView run = runs.create(c.tenant(), requester(c), request);
        return Response.created(URI.create("/api/runs/" + run.id())).entity(run).build();
    }

    @GET
    @RunOnVirtualThread
    @Operation(operationId = "listRuns", summary = "List runs", description = "Newest first, filtered by status, data set and model name.")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    public Page<RunView> list(@QueryParam("status") String status, @QueryParam("datasetId") String datasetId,
                              @QueryParam("modelName") String modelName,
                              @Parameter(description = "From 0") @QueryParam("page") String page,
                              @Parameter(description = "From 1 to dln.gateway.limits.max-page-size") @QueryParam("size") String size) {
        QueryParams.PageRequest request = QueryParams.PageRequest.of(page, size, config.limits());
        return runs.list(caller.tenant(), status(status), QueryParams.uuid("datasetId", datasetId), modelName, request.page(),
                request.size());
    }

    @GET
    @Path("/{id}")
    @RunOnVirtualThread
    @Operation(operationId = "getRun", summary = "Show a run", description = "Status, iteration, accuracy, best prompts, tokens and time so far.")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public RunView show(@PathParam("id") UUID id) {
        return runs.show(caller.tenant(), id);
    }

    @GET
    @Path("/{id}/iterations")
    @RunOnVirtualThread
    @Operation(operationId = "listRunIterations", summary = "A run's history", description = "One entry per finished iteration; ?candidates=true adds the prompts each considered.")
    @APIResponse(responseCode = "200", description = "Its iterations, oldest first")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public List<IterationView> history(@PathParam("id") UUID id, @QueryParam("candidates") String candidates) {
        return runs.history(caller.tenant(), id, QueryParams.bool("candidates", candidates, false));
    }

    @GET
    @Path("/{id}/iterations/{n}/trace")
    @RunOnVirtualThread
    @Operation(operationId = "getRunIterationTrace", summary = "What one step saw", description = "The prompts before and after the step of iteration n (0-based), "
            + "its metrics, the batch's examples with the forward pass's hidden text and answer and the posterior samples h~ with "
            + "their weights and log-likelihoods, every candidate of each layer with its score, origin and the chosen one marked, "
            + "and the guidance applied at its start.")
    @APIResponse(responseCode = "200", description = "The step's trace",
            content = @Content(schema = @Schema(implementation = TraceView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant, or that iteration has no trace "
            + "(it only validated, has not run yet, or was stored before traces were kept)")
    public TraceView trace(@PathParam("id") UUID id, @PathParam("n") @Min(0) int n) {
        return runs.trace(caller.tenant(), id, n);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(operationId = "followRunEvents", summary = "Follow a run", description = "Server-sent events: 'state' (the run now), then the trainer's events "
            + "(started, iteration, evaluating, finished, failed, cancelled, paused, resumed, guidance); the stream ends with the run. "
            + "Every event has an id; a client that reconnects with Last-Event-ID gets the events it missed.")
    @APIResponse(responseCode = "200", description = "An event stream: 'state' carries the run (RunView), every other event a RunEvent",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = RunEvent.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public Multi<OutboundSseEvent> events(@PathParam("id") UUID id, @Context Sse sse,
                                          @Parameter(description = "The id of the last event received: the stream goes on after it")
                                          @HeaderParam("Last-Event-ID") String lastEventId) {
        String tenant = caller.tenant(); // RunEventsGuard has answered 404 for a run the caller cannot see
        String runId = id.toString();
        return Multi.createFrom().emitter(emitter -> {
            RunStream stream = new RunStream(emitter, sse, json);
            stream.subscribed(feed.subscribe(runId, stream::onEvent));
            streams.add(stream);
            // subscribed first, then the state read (or the missed events replayed): no event falls between the two
            Thread.ofVirtual().start(() -> {
                try {
                    String now = feed.positionOf(runId);
                    List<FeedEvent> missed = lastEventId == null ? List.of() : feed.replay(runId, lastEventId);
                    if (lastEventId != null && FeedEvent.parse(lastEventId) != null) {
                        stream.resume(missed, () -> runs.show(tenant, id), now);
                    } else {
                        stream.start(runs.show(tenant, id), now);
                    }
                } catch (RuntimeException e) {
                    stream.fail(e);
                }
            });
        });
    }

    @POST
    @Path("/{id}/cancel")
    @RunOnVirtualThread
    @Operation(operationId = "cancelRun", summary = "Cancel a run", description = "A queued or paused run ends at once; a running one within seconds: its trainer "
            + "reads the request with its lease, stops the step under way (nothing of it is stored) and ends the run CANCELLED.")
    @APIResponse(responseCode = "202", description = "Cancelled or cancel requested", content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    @APIResponse(responseCode = "409", description = "The run has already ended")
    public Response cancel(@PathParam("id") UUID id) {
        Caller c = caller.get();
        return Response.accepted(runs.cancel(c.tenant(), id, requester(c))).build();
    }

    @POST
    @Path("/{id}/pause")
    @RunOnVirtualThread
    @Operation(operationId = "pauseRun", summary = "Pause a run", description = "The run pauses after the iteration under way (once it is stored) and keeps "
            + "its checkpoint; a queued run pauses at once. A PAUSED event follows when it has paused. Resume it with /resume.")
    @APIResponse(responseCode = "202", description = "Paused or pause requested",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    @APIResponse(responseCode = "409", description = "The run is not QUEUED or RUNNING")
    public Response pause(@PathParam("id") UUID id) {
        Caller c = caller.get();
        return Response.accepted(runs.pause(c.tenant(), id, requester(c))).build();
    }

    @POST
    @Path("/{id}/resume")
    @RunOnVirtualThread
    @Operation(operationId = "resumeRun", summary = "Resume a run", description = "Queues a PAUSED, FAILED or CANCELLED run again; it goes on from its checkpoint "
            + "(for a run asked to pause that has not yet, the request is withdrawn). The optional body may raise its token budget "
            + "and enter or leave guided mode.")
    @APIResponse(responseCode = "202", description = "Queued again",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    @APIResponse(responseCode = "409", description = "The run is not PAUSED, FAILED or CANCELLED")
    public Response resume(@PathParam("id") UUID id,
                           @RequestBody(content = @Content(schema = @Schema(implementation = ResumeRequest.class))) String body) {
        Caller c = caller.get();
        ResumeRequest request = new ResumeRequest(null, null);
        if (body != null && !body.isBlank()) {
            try {
                request = json.readValue(body, ResumeRequest.class);
            } catch (JsonProcessingException e) {
                throw ErrorMappers.jsonProblem(e);
            }
            if (request == null) request = new ResumeRequest(null, null);
            if (request.tokenBudget() != null && (request.tokenBudget() < 1 || request.tokenBudget() > CreateRunRequest.MAX_TOKEN_BUDGET)) {
                throw ApiException.invalidField("tokenBudget", "must be from 1 to " + CreateRunRequest.MAX_TOKEN_BUDGET);
            }
        }
        return Response.accepted(runs.resume(c.tenant(), id, request.tokenBudget(), request.guided(), requester(c))).build();
    }

    @POST
    @Path("/{id}/guidance")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(operationId = "addRunGuidance", summary = "Guide a run", description = "Records one guidance action for a PAUSED run (or a QUEUED or RUNNING one that is "
            + "guided or pausing): pin a candidate or edit (write) a prompt, which becomes the layer's prompt at the next iteration and "
            + "stays a candidate later; reject a prompt, which is never chosen again; or give feedback text, which the backward "
            + "template of the layer shows in later proposals until other feedback replaces it (empty text clears it). The trainer "
            + "applies it at the start of the next iteration, exactly once, crashes included; a GUIDANCE event follows.")
    @APIResponse(responseCode = "201", description = "Recorded", content = @Content(schema = @Schema(implementation = GuidanceView.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or wrong (one message per field)")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    @APIResponse(responseCode = "409", description = "The run does not take guidance now (pause it first), has taken the most "
            + "guidance a run takes, or its backward template has no slot for feedback")
    public Response guide(@PathParam("id") UUID id, @NotNull GuidanceRequest request) {
        Caller c = caller.get();
        GuidanceView recorded = guidance.record(c.tenant(), id, request, author(c));
        return Response.created(URI.create("/api/runs/" + id + "/guidance")).entity(recorded).build();
    }

    @GET
    @Path("/{id}/guidance")
    @RunOnVirtualThread
    @Operation(operationId = "listRunGuidance", summary = "A run's guidance", description = "Every guidance action recorded for the run, oldest first: who, what, when, "
            + "and the iteration it was applied at (null until applied).")
    @APIResponse(responseCode = "200", description = "Its guidance, oldest first")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such run in the caller's tenant")
    public GuidanceItems guidance(@PathParam("id") UUID id) {
        return guidance.list(caller.tenant(), id);
    }

    private static RunStatus status(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return RunStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("status", "must be one of " + Arrays.toString(RunStatus.values()));
        }
    }

    private static String requester(Caller c) {
        return c.keyId() == null ? c.keyName() : c.keyName() + " (" + c.keyId() + ")";
    }

    /** Who is recorded as the author of guidance: the caller's key name (with OIDC, its subject). */
    private static String author(Caller c) {
        return c.keyName();
    }
}
