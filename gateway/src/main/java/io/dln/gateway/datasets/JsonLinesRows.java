package io.dln.gateway.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/** One JSON object a line: {"input", "target", "split"?}; blank lines are skipped. */
final class JsonLinesRows implements RowReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void read(Reader in, RowSink sink) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        String text;
        int line = 0;
        while ((text = lines.readLine()) != null) {
            line++;
            if (text.isBlank()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                sink.problem(line, null, "malformed JSON: " + e.getOriginalMessage());
                continue;
            }
            if (node == null || !node.isObject()) {
                sink.problem(line, null, "expected a JSON object {\"input\": ..., \"target\": ...}");
                continue;
            }
            sink.row(new UploadRow(line, "", JsonFields.text(node, "input", line, "", sink),
                    JsonFields.text(node, "target", line, "", sink), JsonFields.text(node, "split", line, "", sink)));
        }
    }
}
