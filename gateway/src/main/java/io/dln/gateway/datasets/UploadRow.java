package io.dln.gateway.datasets;

/**
 * One example as read from an upload, not yet checked. {@code fieldPrefix} places its fields in the document
 * ("" for a line of JSON lines or CSV, "examples[3]." for BBH JSON); {@code line} is where it starts.
 * Values are null when the row lacks them.
 */
record UploadRow(int line, String fieldPrefix, String input, String target, String split) {
}
