package io.dln.core.data;

import java.nio.file.Path;

/**
 * A data file that cannot be turned into examples. The message names the file, where in it
 * ("line 12" for JSON lines; "examples[3] (line 40, column 5)" for JSON files), the field and
 * what is wrong with it.
 */
public class DataFormatException extends RuntimeException {

    private final Path file;
    private final String where;
    private final String field;

    public DataFormatException(Path file, String where, String field, String problem) {
        super(message(file, where, field, problem));
        this.file = file;
        this.where = where;
        this.field = field;
    }

    public DataFormatException(Path file, String where, String field, String problem, Throwable cause) {
        this(file, where, field, problem);
        initCause(cause);
    }

    /** A problem with the file as a whole, such as a split with no examples. */
    public static DataFormatException ofFile(Path file, String problem) {
        return new DataFormatException(file, null, null, problem);
    }

    public Path file() {
        return file;
    }

    /** Where in the file, or null when the problem concerns the whole file. */
    public String where() {
        return where;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }

    private static String message(Path file, String where, String field, String problem) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (where != null) sb.append(", ").append(where);
        if (field != null) sb.append(", field \"").append(field).append('"');
        return sb.append(": ").append(problem).toString();
    }
}
