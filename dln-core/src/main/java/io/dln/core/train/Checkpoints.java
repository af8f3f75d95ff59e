package io.dln.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A training state as JSON and back: what a trainer stores after every iteration. */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    public static String toJson(TrainingState state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a training state", e);
        }
    }

    public static TrainingState fromJson(String json) {
        try {
            return JSON.readValue(json, TrainingState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a training checkpoint: " + e.getOriginalMessage(), e);
        }
    }
}
