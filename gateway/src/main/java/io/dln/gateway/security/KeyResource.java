package io.dln.gateway.security;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys", description = "API keys and who is calling")
@SecurityRequirement(name = "apiKey")
public class KeyResource {

    private final ApiKeys keys;
    private final CurrentCaller current;

    public KeyResource(ApiKeys keys, CurrentCaller current) {
        this.keys = keys;
        this.current = current;
    }

    @GET
    @Path("/me")
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "getCaller", summary = "The tenant and role of the calling key")
    public Me me() {
        Caller c = current.get();
        return new Me(c.tenant(), c.role(), c.keyName(), c.keyId());
    }

    @POST
    @Path("/admin/keys")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(operationId = "createKey", summary = "Create a key", description = "The key is in the answer once and never again; only its hash is stored.")
    @APIResponse(responseCode = "201", description = "Created; the key is shown this once", content = @Content(schema = @Schema(implementation = CreatedKey.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "409", description = "The tenant has as many active keys as it may")
    public Response create(@Valid @NotNull CreateKeyRequest request) {
        return Response.status(201).entity(keys.create(current.get(), request)).build();
    }

    @GET
    @Path("/admin/keys")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(operationId = "listKeys", summary = "List keys", description = "An admin sees its tenant's keys; the bootstrap key sees all, or one tenant's with ?tenant=.")
    @APIResponse(responseCode = "200", description = "The keys, never their secrets")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    public List<KeyView> list(@QueryParam("tenant") String tenant) {
        return keys.list(current.get(), tenant);
    }

    @DELETE
    @Path("/admin/keys/{id}")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(operationId = "revokeKey", summary = "Revoke a key")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such key")
    public Response revoke(@PathParam("id") UUID id) {
        keys.revoke(current.get(), id);
        return Response.noContent().build();
    }

    public record Me(String tenant, Role role, String keyName, UUID keyId) {
    }
}
