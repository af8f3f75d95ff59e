package io.dln.gateway.registry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import io.dln.gateway.security.CurrentCaller;
import io.dln.gateway.security.Role;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Registry", description = "Trained DLNs: immutable versions and movable aliases")
@SecurityRequirement(name = "apiKey")
public class ModelResource {

    private final RegistryService registry;
    private final CurrentCaller caller;

    public ModelResource(RegistryService registry, CurrentCaller caller) {
        this.registry = registry;
        this.caller = caller;
    }

    @GET
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "listModels", summary = "List trained DLNs", description = "One entry per name, with its newest version and its aliases.")
    public List<ModelSummary> names() {
        return registry.names(caller.tenant());
    }

    @GET
    @Path("/{name}/versions")
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "listModelVersions", summary = "List the versions of a DLN", description = "Newest first.")
    @APIResponse(responseCode = "200", description = "Its versions, newest first")
    @APIResponse(responseCode = "404", description = "No such DLN")
    public List<VersionSummary> versions(@PathParam("name") String name) {
        return registry.versions(caller.tenant(), name);
    }

    @GET
    @Path("/{name}/versions/{version}")
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "getModelVersion", summary = "Show a version", description = "Prompts, templates, settings, metrics and the run that trained it.")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(schema = @Schema(implementation = ModelVersionView.class)))
    @APIResponse(responseCode = "404", description = "No such DLN or version")
    public ModelVersionView version(@PathParam("name") String name, @PathParam("version") int version) {
        return registry.version(caller.tenant(), name, version);
    }

    @GET
    @Path("/{name}/versions/{version}/export")
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
    @Operation(operationId = "exportModelVersion", summary = "Export a version", description = "A JSON document that POST /api/models/import takes back.")
    @APIResponse(responseCode = "200", description = "The document, as an attachment", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelDocument.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such DLN or version")
    public Response export(@PathParam("name") String name, @PathParam("version") int version) {
        return Response.ok(registry.export(caller.tenant(), name, version))
                .header("Content-Disposition", "attachment; filename=\"" + name + "-v" + version + ".json\"").build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
    @Operation(operationId = "importModelVersion", summary = "Import a version", description = "Stores an exported document as the next version of its name, or of ?name=.")
    @APIResponse(responseCode = "201", description = "Imported", content = @Content(schema = @Schema(implementation = ModelVersionView.class)))
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    public Response importDocument(@NotNull ModelDocument document, @QueryParam("name") String name) {
        ModelVersionView created = registry.importDocument(caller.tenant(), document, name);
        return Response.created(URI.create("/api/models/" + created.name() + "/versions/" + created.version()))
                .entity(created).build();
    }

    @GET
    @Path("/{name}/aliases")
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER, Role.Names.INFERENCE})
    @Operation(operationId = "listModelAliases", summary = "The aliases of a DLN", description = "Alias to version.")
    @APIResponse(responseCode = "200", description = "Alias to version")
    @APIResponse(responseCode = "404", description = "No such DLN")
    public Map<String, Integer> aliases(@PathParam("name") String name) {
        return registry.aliases(caller.tenant(), name);
    }

    @PUT
    @Path("/{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
    @Operation(operationId = "setModelAlias", summary = "Set or move an alias", description = "E.g. promote a version to 'prod'.")
    @APIResponse(responseCode = "200", description = "The DLN's aliases now, alias to version")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such DLN or version")
    public Map<String, Integer> setAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                                         @Valid @NotNull SetAliasRequest request) {
        return registry.setAlias(caller.tenant(), name, alias, request.version());
    }

    @DELETE
    @Path("/{name}/aliases/{alias}")
    @RunOnVirtualThread
    @RolesAllowed({Role.Names.ADMIN, Role.Names.TRAINER})
    @Operation(operationId = "deleteModelAlias", summary = "Delete an alias")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "The caller's role may not do this")
    @APIResponse(responseCode = "404", description = "No such DLN or alias")
    public Response deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        registry.deleteAlias(caller.tenant(), name, alias);
        return Response.noContent().build();
    }
}
