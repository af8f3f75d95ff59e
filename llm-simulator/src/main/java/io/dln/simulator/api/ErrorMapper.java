package io.dln.simulator.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refusals of the JAX-RS endpoints (the model list) leave in OpenAI's error shape too. */
public class ErrorMapper {

    private final RequestMetrics metrics;

    public ErrorMapper(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        metrics.count("models", "error_" + e.status());
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body());
        e.headers().forEach(r::header);
        return r.build();
    }
}
