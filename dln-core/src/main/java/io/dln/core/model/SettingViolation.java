package io.dln.core.model;

/** One setting out of its range: the field's name (as in {@link DlnSettings}) and a sentence that names it too. */
public record SettingViolation(String field, String message) {
}
