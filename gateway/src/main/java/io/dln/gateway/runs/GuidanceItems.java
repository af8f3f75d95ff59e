package io.dln.gateway.runs;

import java.util.List;

/** A run's guidance, oldest first. */
public record GuidanceItems(List<GuidanceView> items) {
}
