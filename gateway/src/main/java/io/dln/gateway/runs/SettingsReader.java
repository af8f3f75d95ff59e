package io.dln.gateway.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.OutputScoring;
import io.dln.core.model.Presets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.StrictJson;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a partial DlnSettings document field by field, so that each unknown or mistyped field gets its own message.
 * {@code "preset": "paper-dln2:leopard"} starts from the paper's hyperparameters, which the other fields override.
 */
final class SettingsReader {

    private static final ObjectMapper JSON = StrictJson.configure(JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build());
    /** Not a setting of its own: the name of the paper's hyperparameters to start from (see {@link Presets}). */
    static final String PRESET = "preset";
    private static final Map<String, RecordComponent> FIELDS = Arrays.stream(DlnSettings.class.getRecordComponents())
            .collect(Collectors.toMap(RecordComponent::getName, Function.identity()));

    private SettingsReader() {
    }

    /** The settings with defaults filled in, or null after adding a problem for each field that cannot be read. */
    static DlnSettings read(JsonNode node, List<FieldProblem> problems) {
        if (node == null || node.isNull()) return DlnSettings.defaults();
        if (!node.isObject()) {
            problems.add(FieldProblem.of("settings", "must be a JSON object of DlnSettings fields"));
            return null;
        }
        int before = problems.size();
        ObjectNode base = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(PRESET)) {
                base = preset(field.getValue(), problems);
                continue;
            }
            RecordComponent component = FIELDS.get(field.getKey());
            if (component == null) {
                problems.add(FieldProblem.of("settings." + field.getKey(), "unknown setting"));
                continue;
            }
            if (field.getValue().isNull()) continue;
            try {
                JSON.convertValue(field.getValue(), JSON.constructType(component.getGenericType()));
            } catch (IllegalArgumentException e) {
                String why = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : "";
                // StrictJson's own checks (finite numbers, storable text) say what is wrong themselves
                problems.add(FieldProblem.of("settings." + field.getKey(), why != null && (why.startsWith("must be") || why.startsWith("contains"))
                        ? why : "must be " + describe(component.getGenericType())));
            }
        }
        if (problems.size() > before) return null;
        ObjectNode merged = base.deepCopy();
        merged.setAll((ObjectNode) node);
        merged.remove(PRESET);
        return JSON.convertValue(merged, DlnSettings.class);
    }

    /** The preset's settings as a JSON object the request's own fields then override; empty after a problem. */
    private static ObjectNode preset(JsonNode value, List<FieldProblem> problems) {
        if (value == null || value.isNull()) return JSON.createObjectNode();
        if (!value.isTextual() || value.asText().length() > DlnSettings.MAX_NAME_CHARS) {
            problems.add(FieldProblem.of("settings." + PRESET, "must be a preset name: " + String.join(", ", Presets.NAMES)
                    + ", optionally followed by :" + String.join("|", Presets.FAMILIES)));
            return JSON.createObjectNode();
        }
        try {
            return JSON.valueToTree(Presets.named(value.asText()));
        } catch (IllegalArgumentException e) {
            problems.add(FieldProblem.of("settings." + PRESET, e.getMessage()));
            return JSON.createObjectNode();
        }
    }

    private static String describe(Type type) {
        if (type == Integer.class) return "an integer";
        if (type == Double.class) return "a number";
        if (type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (type == OutputScoring.class) return "one of " + Arrays.toString(OutputScoring.values());
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) return "a list of strings";
        return "a " + type.getTypeName();
    }
}
