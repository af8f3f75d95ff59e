package io.dln.gateway.datasets;

import io.dln.gateway.common.ApiException;

import java.util.Locale;

/** The upload formats: JSON lines or CSV of input/target(/split), or a BBH file {"examples": [...]}. */
public enum UploadFormat {
    JSONL, CSV, BBH;

    /** The format named by the {@code format} parameter, else implied by the Content-Type. */
    static UploadFormat of(String parameter, String contentType) {
        if (parameter != null && !parameter.isBlank()) {
            return switch (parameter.strip().toLowerCase(Locale.ROOT)) {
                case "jsonl", "json-lines", "ndjson" -> JSONL;
                case "csv" -> CSV;
                case "bbh", "json" -> BBH;
                default -> throw ApiException.invalidField("format", "unknown format '" + parameter + "'; formats: jsonl, csv, bbh");
            };
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")
                || type.startsWith("application/x-jsonlines")) return JSONL;
        if (type.startsWith("text/csv")) return CSV;
        if (type.startsWith("application/json")) return BBH;
        throw ApiException.invalidField("format", "give format=jsonl|csv|bbh, or a Content-Type of application/x-ndjson, "
                + "text/csv or application/json");
    }

    RowReader reader() {
        return switch (this) {
            case JSONL -> new JsonLinesRows();
            case CSV -> new CsvRows();
            case BBH -> new BbhRows();
        };
    }
}
