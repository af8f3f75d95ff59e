package io.dln.gateway.datasets;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the text fields of a JSON row: strings as they are, numbers and booleans as their text. */
final class JsonFields {

    /** Stands for a value of the wrong type, already reported: compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String INVALID = new String("");

    private JsonFields() {
    }

    /** The field's text, or null when it is absent; reports a value of the wrong type and returns {@link #INVALID}. */
    static String text(JsonNode row, String field, int line, String prefix, RowSink sink) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) return null;
        if (value.isTextual() || value.isNumber() || value.isBoolean()) return value.asText();
        sink.problem(line, prefix + field, "must be a string, not " + value.getNodeType().name().toLowerCase());
        return INVALID;
    }
}
