package io.dln.gateway.datasets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;

/** A BIG-Bench-Hard file: {"examples": [{"input", "target"}, ...]}, read as a stream; other fields are ignored. */
final class BbhRows implements RowReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void read(Reader in, RowSink sink) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(line(parser.currentTokenLocation()), null, "expected a JSON object with an \"examples\" array");
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!name.equals("examples")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    sink.problem(line(parser.currentTokenLocation()), "examples", "must be an array");
                    return;
                }
                readExamples(parser, sink);
                return;
            }
            sink.problem(null, "examples", "missing: a BBH file is {\"examples\": [{\"input\": ..., \"target\": ...}]}");
        } catch (JsonProcessingException e) {
            sink.problem(line(e.getLocation()), null, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static void readExamples(JsonParser parser, RowSink sink) throws IOException {
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                sink.problem(line(parser.currentLocation()), "examples", "the array is not closed");
                return;
            }
            Integer at = line(parser.currentTokenLocation());
            int line = at == null ? 0 : at;
            String prefix = "examples[" + index++ + "].";
            JsonNode node = JSON.readTree(parser);
            if (!node.isObject()) {
                sink.problem(line, prefix.substring(0, prefix.length() - 1), "expected an object {\"input\": ..., \"target\": ...}");
                continue;
            }
            sink.row(new UploadRow(line, prefix, JsonFields.text(node, "input", line, prefix, sink),
                    JsonFields.text(node, "target", line, prefix, sink), JsonFields.text(node, "split", line, prefix, sink)));
        }
    }

    private static Integer line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? null : location.getLineNr();
    }
}
