package io.dln.trainer.runs;

import io.dln.core.model.GuidanceAction;

import java.util.UUID;

/** A recorded guidance action the trainer has not applied yet. */
record PendingGuidance(UUID id, GuidanceAction action) {
}
