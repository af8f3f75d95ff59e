package io.dln.gateway.common;

import java.util.Locale;
import java.util.UUID;

/**
 * Query parameters read by the gateway itself rather than by JAX-RS, whose conversion failures answer 404: a value
 * that is not what the parameter takes, or out of its range, is a 400 naming the parameter and the range.
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static long integer(String name, String value, long defaultValue, long min, long max) {
        if (value == null || value.isBlank()) return defaultValue;
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(name, "must be an integer from " + min + " to " + max + ", was '" + shorten(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.invalidField(name, "must be from " + min + " to " + max + ", was " + parsed);
        }
        return parsed;
    }

    public static int integer(String name, String value, int defaultValue, int min, int max) {
        return (int) integer(name, value, (long) defaultValue, min, max);
    }

    public static boolean bool(String name, String value, boolean defaultValue) {
        if (value == null || value.isBlank()) return defaultValue;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalidField(name, "must be true or false, was '" + shorten(value) + "'");
        };
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(name, "must be a UUID, was '" + shorten(value) + "'");
        }
    }

    /** Page (from 0) and size of a listing, both bounded. */
    public record PageRequest(int page, int size) {

        public static PageRequest of(String page, String size, GatewayConfig.Limits limits) {
            return new PageRequest(integer("page", page, 0, 0, limits.maxPage()),
                    integer("size", size, Math.min(20, limits.maxPageSize()), 1, limits.maxPageSize()));
        }
    }

    private static String shorten(String value) {
        String text = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return StorableText.problem(text) == null ? text : "(unprintable)";
    }
}
