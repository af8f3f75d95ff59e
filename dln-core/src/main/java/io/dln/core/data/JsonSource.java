package io.dln.core.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads records from JSON files and JSON lines, remembering where each record was. */
final class JsonSource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSource() {
    }

    /** One JSON object of a file with a description of where it is, e.g. "line 3". */
    record Record(Path file, JsonNode node, String where) {

        DataFormatException error(String field, String problem) {
            return new DataFormatException(file, where, field, problem);
        }

        /** The field as text; numbers and booleans are read as their text. Blank is an error. */
        String text(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isMissingNode()) throw error(field, "missing");
            if (!value.isValueNode() || value.isNull()) throw error(field, "must be a string, not " + value.getNodeType());
            String text = value.asText();
            if (text.isBlank()) throw error(field, "empty " + field);
            return text;
        }
    }

    /** The objects of a JSON lines file; blank lines are skipped, line numbers start at 1. */
    static List<Record> lines(Path file) {
        List<Record> records = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                String where = "line " + number;
                JsonNode node;
                try {
                    node = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new DataFormatException(file, where + columnOf(e), null, "malformed JSON: " + e.getOriginalMessage(), e);
                }
                if (!node.isObject()) throw new DataFormatException(file, where, null, "expected a JSON object, found " + node.getNodeType());
                records.add(new Record(file, node, where));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        return records;
    }

    /**
     * The objects of a JSON array: the file's top-level array when {@code arrayField} is null,
     * else the array under that field of the top-level object.
     */
    static List<Record> array(Path file, String arrayField) {
        String prefix = arrayField == null ? "" : arrayField;
        try (JsonParser parser = MAPPER.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (arrayField == null) {
                if (first != JsonToken.START_ARRAY) throw notA(file, parser, "a JSON array");
                return elements(file, parser, prefix);
            }
            if (first != JsonToken.START_OBJECT) throw notA(file, parser, "a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(arrayField)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new DataFormatException(file, locate(parser.currentTokenLocation()), arrayField, "must be an array");
                    }
                    return elements(file, parser, prefix);
                }
                parser.skipChildren();
            }
            throw new DataFormatException(file, null, arrayField, "missing");
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, locate(e.getLocation()), null, "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static List<Record> elements(Path file, JsonParser parser, String prefix) throws IOException {
        List<Record> records = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) throw new DataFormatException(file, locate(parser.currentLocation()), null, "malformed JSON: unexpected end of file");
            String where = prefix + "[" + records.size() + "] (" + locate(parser.currentTokenLocation()) + ")";
            JsonNode node = MAPPER.readTree(parser);
            if (!node.isObject()) throw new DataFormatException(file, where, null, "expected a JSON object, found " + node.getNodeType());
            records.add(new Record(file, node, where));
        }
        return records;
    }

    private static DataFormatException notA(Path file, JsonParser parser, String expected) {
        return new DataFormatException(file, locate(parser.currentTokenLocation()), null, "expected " + expected + " at the top level");
    }

    private static String locate(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) return null;
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String columnOf(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getColumnNr() < 1 ? "" : ", column " + location.getColumnNr();
    }
}
