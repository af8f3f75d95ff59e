package io.dln.gateway.inference;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.registry.ModelRef;
import io.dln.gateway.registry.ModelResolver;
import io.dln.gateway.registry.ServedModel;
import io.dln.gateway.security.CurrentCaller;
import io.dln.gateway.security.Role;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/models/{name}/predict")
@Tag(name = "Inference")
@SecurityRequirement(name = "apiKey")
public class PredictResource {

    private final ModelResolver models;
    private final Predictor predictor;
    private final InferenceMetrics metrics;
    private final CurrentCaller caller;
    private final GatewayConfig config;

    public PredictResource(ModelResolver models, Predictor predictor, InferenceMetrics metrics, CurrentCaller caller,
                           GatewayConfig config) {
        this.models = models;
        this.predictor = predictor;
        this.metrics = metrics;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "predict", summary = "Run a DLN on inputs", description = "Answers for a batch of inputs from a version or alias of a trained "
            + "DLN; on request also the hidden layer's texts and the class probabilities.")
    @APIResponse(responseCode = "200", description = "One output per input, in order", content = @Content(schema = @Schema(implementation = PredictResponse.class)))
    @APIResponse(responseCode = "403", description = "The tenant may not use the DLN's backend")
    @APIResponse(responseCode = "404", description = "No such model, version or alias")
    @APIResponse(responseCode = "429", description = "Too many requests, or the tenant's daily tokens are spent; Retry-After says when to try again")
    @APIResponse(responseCode = "502", description = "The backend failed (the body names the backend, never its address or its answer)")
    @APIResponse(responseCode = "504", description = "The backend did not answer in time")
    public PredictResponse predict(@PathParam("name") String name, @Valid @NotNull PredictRequest request) {
        if (request.inputs().size() > config.limits().maxInputs()) {
            throw ApiException.invalidField("inputs", "at most " + config.limits().maxInputs() + " inputs per call");
        }
        long start = System.nanoTime();
        boolean ok = false;
        Prediction p = null;
        try {
            ServedModel model = models.resolve(caller.tenant(), ModelRef.of(name, request.version(), blankToNull(request.alias())));
            p = predictor.predict(caller.tenant(), model, request.inputs(), request.returnHidden(), request.returnClassProbabilities());
            ok = true;
            return new PredictResponse(model.name(), model.version(), p.outputs(), p.hidden(), p.classProbabilities(),
                    new PredictResponse.Usage(p.usage().promptTokens(), p.usage().completionTokens()));
        } finally {
            metrics.record("predict", ok, System.nanoTime() - start, p == null ? null : p.usage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
