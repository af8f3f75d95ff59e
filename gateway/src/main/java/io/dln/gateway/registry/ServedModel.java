package io.dln.gateway.registry;

import io.dln.core.lm.OutputClasses;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.Template;

import java.util.Map;

/** An immutable version of a trained DLN, ready to serve: what inference needs and nothing else. */
public record ServedModel(String name, int version, int layers, String p1, String p2, OutputClasses classes,
                          DlnSettings settings, Map<String, Template> templates, String forwardBackend) {
}
