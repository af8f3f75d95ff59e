package io.dln.gateway.runs;

import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.ErrorResponses;
import io.dln.gateway.security.CurrentCaller;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.UUID;

/**
 * Answers 404 for the event stream of a run the caller cannot see before the stream opens: once the stream method
 * runs, its response is the stream and errors can no longer be mapped to JSON.
 */
public class RunEventsGuard {

    private final RunService runs;
    private final CurrentCaller caller;

    public RunEventsGuard(RunService runs, CurrentCaller caller) {
        this.runs = runs;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 10)
    public Optional<Response> check(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceMethod() == null || resource.getResourceClass() != RunResource.class
                || !resource.getResourceMethod().getName().equals("events")) {
            return Optional.empty();
        }
        String id = request.getUriInfo().getPathParameters().getFirst("id");
        try {
            runs.show(caller.tenant(), UUID.fromString(id));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(ErrorResponses.of(ApiException.notFound("run " + id), request.getUriInfo().getPath()));
        } catch (ApiException e) {
            return Optional.of(ErrorResponses.of(e, request.getUriInfo().getPath()));
        }
    }
}
