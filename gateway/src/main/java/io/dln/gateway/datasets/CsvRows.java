package io.dln.gateway.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CSV as RFC 4180 writes it: a header naming the columns input, target and optionally split (in any order,
 * other columns ignored), then one example a record; quoted fields may hold commas, quotes ("") and newlines.
 */
final class CsvRows implements RowReader {

    @Override
    public void read(Reader in, RowSink sink) throws IOException {
        Records records = new Records(new PushbackReader(new BufferedReader(in), 1), sink);
        List<String> header = records.next();
        while (header != null && blank(header)) header = records.next();
        if (header == null) {
            sink.problem(null, null, "the CSV has no header line (input,target[,split])");
            return;
        }
        Columns columns = Columns.of(header, records.recordLine, sink);
        if (columns == null) return;
        List<String> record;
        while ((record = records.next()) != null) {
            if (blank(record)) continue;
            int line = records.recordLine;
            if (record.size() != header.size()) {
                sink.problem(line, null, "has " + record.size() + " fields, the header has " + header.size());
                continue;
            }
            sink.row(new UploadRow(line, "", record.get(columns.input), record.get(columns.target),
                    columns.split < 0 ? null : record.get(columns.split)));
        }
    }

    private static boolean blank(List<String> record) {
        return record.size() == 1 && record.getFirst().isBlank();
    }

    private record Columns(int input, int target, int split) {

        static Columns of(List<String> header, int line, RowSink sink) {
            List<String> names = new ArrayList<>();
            for (String h : header) names.add(h.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT));
            int input = names.indexOf("input");
            int target = names.indexOf("target");
            if (input < 0) sink.problem(line, "input", "the header has no input column");
            if (target < 0) sink.problem(line, "target", "the header has no target column");
            return input < 0 || target < 0 ? null : new Columns(input, target, names.indexOf("split"));
        }
    }

    /** Splits the text into records of fields, keeping the line each record starts on. */
    private static final class Records {
        private final PushbackReader in;
        private final RowSink sink;
        private int line = 1;
        int recordLine;

        Records(PushbackReader in, RowSink sink) {
            this.in = in;
            this.sink = sink;
        }

        List<String> next() throws IOException {
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int c;
            while ((c = in.read()) != -1) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) in.unread(next);
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append((char) c);
                    }
                } else if (c == '"' && field.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r') {
                        int next = in.read();
                        if (next != '\n' && next != -1) in.unread(next);
                    }
                    line++;
                    fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                }
            }
            if (quoted) sink.problem(recordLine, null, "a quoted field is not closed before the end of the file");
            if (!any) return null;
            fields.add(field.toString());
            return fields;
        }
    }
}
