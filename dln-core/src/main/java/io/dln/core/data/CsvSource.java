package io.dln.core.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the records of a CSV file (RFC 4180: a header line naming the columns, quoted fields may hold commas, quotes
 * and line breaks) as objects whose fields are the header's names in lower case, each with the line it starts on.
 */
final class CsvSource {

    /** Rows as arrays of fields (Jackson's documented way to read CSV without a schema). */
    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    private CsvSource() {
    }

    static List<JsonSource.Record> records(Path file) {
        List<JsonSource.Record> records = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = MAPPER.readerFor(String[].class).readValues(reader)) {
            List<String> header = null;
            while (true) {
                long line = rows.getParser().currentLocation().getLineNr(); // where the next row starts, blank lines skipped
                if (!rows.hasNextValue()) break;
                List<String> fields = List.of(rows.nextValue());
                if (fields.size() == 1 && fields.getFirst().isBlank()) continue;
                String where = "line " + line;
                if (header == null) {
                    header = fields.stream().map(h -> h.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT)).toList();
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw new DataFormatException(file, where, null, "has " + fields.size() + " fields, the header (line 1) has "
                            + header.size() + ": " + String.join(",", header));
                }
                ObjectNode node = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < header.size(); i++) node.put(header.get(i), fields.get(i));
                records.add(new JsonSource.Record(file, node, where));
            }
            if (header == null) throw DataFormatException.ofFile(file, "the CSV file is empty; it needs a header line such as input,target");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DataFormatException(file, at == null ? null : "line " + at.getLineNr(), null, "malformed CSV: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        return records;
    }

    /** Fails, naming the header line, when a column the examples need is not in the file. */
    static void requireColumns(Path file, List<JsonSource.Record> records, String... columns) {
        if (records.isEmpty()) return;
        JsonNode first = records.getFirst().node();
        for (String column : columns) {
            if (!first.has(column)) throw new DataFormatException(file, "line 1", column, "the header has no " + column + " column");
        }
    }
}
