package io.dln.gateway.security;

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
    @Operation(summary = "The tenant and role of the calling key")
    public Me me() {
        Caller c = current.get();
        return new Me(c.tenant(), c.role(), c.keyName(), c.keyId());
    }

    @POST
    @Path("/admin/keys")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "Create a key", description = "The key is in the answer once and never again; only its hash is stored.")
    public Response create(@Valid @NotNull CreateKeyRequest request) {
        return Response.status(201).entity(keys.create(current.get(), request)).build();
    }

    @GET
    @Path("/admin/keys")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "List keys", description = "An admin sees its tenant's keys; the bootstrap key sees all, or one tenant's with ?tenant=.")
    public List<KeyView> list(@QueryParam("tenant") String tenant) {
        return keys.list(current.get(), tenant);
    }

    @DELETE
    @Path("/admin/keys/{id}")
    @RunOnVirtualThread
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "Revoke a key")
    public Response revoke(@PathParam("id") UUID id) {
        keys.revoke(current.get(), id);
        return Response.noContent().build();
    }

    public record Me(String tenant, Role role, String keyName, UUID keyId) {
    }
}
