package io.dln.simulator.api;

import io.dln.simulator.api.Dtos.ModelCard;
import io.dln.simulator.api.Dtos.ModelList;
import io.dln.simulator.config.SimulatorConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** GET /v1/models: the one simulated model. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final String model;
    private final long created;

    public ModelsResource(SimulatorConfig config, Inference inference) {
        this.model = config.model();
        this.created = inference.created();
    }

    @GET
    public ModelList list() {
        return new ModelList("list", List.of(card()));
    }

    @GET
    @Path("/{id}")
    public ModelCard one(@PathParam("id") String id) {
        if (!id.equals(model)) {
            throw new ApiException(404, "invalid_request_error", "The model '" + id + "' does not exist.", "model",
                    "model_not_found", null);
        }
        return card();
    }

    private ModelCard card() {
        return new ModelCard(model, "model", created, "dln-llm-simulator");
    }
}
