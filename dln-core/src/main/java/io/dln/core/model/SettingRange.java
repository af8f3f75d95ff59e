package io.dln.core.model;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The documented range of one setting: a whole number or a real number between two bounds, a text of bounded
 * length, or a bounded list of bounded names. A flag or a choice from an enumeration has no range to check.
 * {@link #check} names the field in every violation, so callers can point at it.
 */
public record SettingRange(String field, Kind kind, double min, double max, boolean minExclusive, String meaning,
                           Function<DlnSettings, Object> value) {

    public enum Kind { WHOLE, REAL, TEXT, NAMES, FLAG, CHOICE }

    static SettingRange whole(String field, int min, int max, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.WHOLE, min, max, false, meaning, value);
    }

    static SettingRange real(String field, double min, double max, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.REAL, min, max, false, meaning, value);
    }

    /** A real number strictly above {@code min}. */
    static SettingRange realAbove(String field, double min, double max, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.REAL, min, max, true, meaning, value);
    }

    /** A text of at most {@code maxChars} characters. */
    static SettingRange text(String field, int maxChars, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.TEXT, 0, maxChars, false, meaning, value);
    }

    /** A list of {@code minSize} to {@code maxSize} names, each at most {@link DlnSettings#MAX_NAME_CHARS} characters. */
    static SettingRange names(String field, int minSize, int maxSize, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.NAMES, minSize, maxSize, false, meaning, value);
    }

    static SettingRange flag(String field, String meaning, Function<DlnSettings, Object> value) {
        return new SettingRange(field, Kind.FLAG, 0, 1, false, meaning, value);
    }

    /** One of an enumeration's names; {@code meaning} starts with them. */
    static SettingRange choice(String field, Enum<?>[] choices, String meaning, Function<DlnSettings, Object> value) {
        String names = String.join(", ", java.util.Arrays.stream(choices).map(Enum::name).toList());
        return new SettingRange(field, Kind.CHOICE, 0, choices.length, false, names + ": " + meaning, value);
    }

    /** The violation of this range by {@code settings}, or null when its value is within range. */
    SettingViolation check(DlnSettings settings) {
        Object v = value.apply(settings);
        return switch (kind) {
            case WHOLE -> {
                int x = (Integer) v;
                yield x < min || x > max ? violation("must be within " + bounds() + ", was " + x) : null;
            }
            case REAL -> {
                double x = (Double) v;
                if (!Double.isFinite(x)) yield violation("must be a finite number within " + bounds() + ", was " + x);
                boolean low = minExclusive ? x <= min : x < min;
                yield low || x > max ? violation("must be within " + bounds() + ", was " + number(x)) : null;
            }
            case TEXT -> {
                String s = (String) v;
                yield s != null && s.length() > max
                        ? violation("must be at most " + (int) max + " characters, was " + s.length()) : null;
            }
            case NAMES -> names((List<?>) v);
            case FLAG, CHOICE -> null;
        };
    }

    private SettingViolation names(List<?> list) {
        if (list.size() < min || list.size() > max) {
            return violation("must name " + (int) min + " to " + (int) max + " templates, was " + list.size());
        }
        for (int i = 0; i < list.size(); i++) {
            Object name = list.get(i);
            if (name == null || name.toString().isBlank()) return violation("must not contain an empty name (item " + i + ")");
            if (name.toString().length() > DlnSettings.MAX_NAME_CHARS) {
                return violation("item " + i + " must be at most " + DlnSettings.MAX_NAME_CHARS + " characters, was "
                        + name.toString().length());
            }
        }
        return null;
    }

    private SettingViolation violation(String rest) {
        return new SettingViolation(field, field + " " + rest);
    }

    /** The range as the README shows it: [1, 200], (0, 100], at most 16384 characters, 1 to 8 names. */
    public String bounds() {
        return switch (kind) {
            case WHOLE -> "[" + (long) min + ", " + (long) max + "]";
            case REAL -> (minExclusive ? "(" : "[") + number(min) + ", " + number(max) + "]";
            case TEXT -> "at most " + (long) max + " characters";
            case NAMES -> (long) min + " to " + (long) max + " names";
            case FLAG -> "true, false";
            case CHOICE -> "one of " + (long) max;
        };
    }

    static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
