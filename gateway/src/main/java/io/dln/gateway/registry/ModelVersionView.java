package io.dln.gateway.registry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.Template;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One version of a trained DLN: all that is needed to run it as it was trained, and where it came from. */
public record ModelVersionView(String name, int version, int layers, Prompts prompts, List<String> outputClasses,
                               String loss, DlnSettings settings, Map<String, Template> templates,
                               Map<String, Object> metrics, String forwardBackend, UUID sourceRunId, List<String> aliases,
                               OffsetDateTime createdAt) {

    @Schema(name = "VersionPrompts")
    public record Prompts(String p1, String p2) {
    }
}
