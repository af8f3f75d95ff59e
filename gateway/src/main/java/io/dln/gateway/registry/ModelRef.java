package io.dln.gateway.registry;

import io.dln.gateway.common.ApiException;

/**
 * Which version of a DLN a caller means: a version number, an alias, or neither (the alias {@value #DEFAULT_ALIAS}
 * if set, else the latest version). "latest" always means the newest version.
 */
public record ModelRef(String name, Integer version, String alias) {

    public static final String DEFAULT_ALIAS = "prod";
    public static final String LATEST = "latest";

    public static ModelRef of(String name, Integer version, String alias) {
        if (version != null && alias != null) {
            throw ApiException.invalidField("version", "give a version or an alias, not both");
        }
        return new ModelRef(name, version, alias);
    }

    /** "name", "name:3", "name:prod" or "name:latest". */
    public static ModelRef parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) return new ModelRef(text, null, null);
        String name = text.substring(0, colon);
        String ref = text.substring(colon + 1);
        if (ref.matches("v?\\d{1,9}")) return new ModelRef(name, Integer.parseInt(ref.replaceFirst("^v", "")), null);
        return new ModelRef(name, null, ref);
    }

    public String describe() {
        return name + (version != null ? ":" + version : alias != null ? ":" + alias : "");
    }
}
