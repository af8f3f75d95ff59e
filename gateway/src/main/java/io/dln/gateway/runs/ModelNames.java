package io.dln.gateway.runs;

/** Names of trained DLNs: they appear in "dln/<name>:<alias>", so they hold neither '/' nor ':'. */
public final class ModelNames {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";
    public static final String RULE = "must be 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private ModelNames() {
    }

    public static boolean valid(String name) {
        return name != null && name.matches(PATTERN);
    }
}
