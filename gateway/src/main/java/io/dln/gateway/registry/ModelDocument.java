package io.dln.gateway.registry;

import io.dln.core.model.DlnSettings;
import io.dln.core.template.Template;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trained DLN as a portable JSON document ({@value #FORMAT}): exported from one registry, imported into another
 * (or the same) as a new version. Templates travel with it, so it runs the same wherever it is imported.
 */
public record ModelDocument(String format, String name, Integer version, Integer layers, ModelVersionView.Prompts prompts,
                            List<String> outputClasses, String loss, DlnSettings settings, Map<String, Template> templates,
                            Map<String, Object> metrics, String forwardBackend, UUID sourceRunId, OffsetDateTime createdAt,
                            OffsetDateTime exportedAt) {

    public static final String FORMAT = "dln-model/1";
}
