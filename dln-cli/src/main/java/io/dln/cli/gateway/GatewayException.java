package io.dln.cli.gateway;

import java.util.List;

/** An error the gateway answered: its HTTP status, stable code, message and, for invalid requests, one problem per field. */
public final class GatewayException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Api.FieldProblem> fields;

    public GatewayException(int status, String code, String message, List<Api.FieldProblem> fields) {
        super(message);
        this.status = status;
        this.code = code;
        this.fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Api.FieldProblem> fields() {
        return fields;
    }

    /** The message, the status and code, and every field problem the message does not already say. */
    public String describe() {
        StringBuilder sb = new StringBuilder(getMessage());
        sb.append(" (HTTP ").append(status);
        if (code != null && !code.isBlank()) sb.append(", ").append(code);
        sb.append(')');
        for (Api.FieldProblem p : fields) {
            String text = (p.field() == null || p.field().isBlank() ? "" : p.field() + ": ") + p.message();
            if (fields.size() == 1 && getMessage().contains(text)) continue;
            sb.append(System.lineSeparator()).append("  ").append(p.line() == null ? "" : "line " + p.line() + ", ").append(text);
        }
        if (status == 401) sb.append(System.lineSeparator()).append("  give an API key with --api-key or the DLN_API_KEY environment variable");
        return sb.toString();
    }
}
