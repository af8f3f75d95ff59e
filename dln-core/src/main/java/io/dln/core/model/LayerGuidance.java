package io.dln.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * A person's guidance of one layer so far: the prompts they pinned or wrote (offered as candidates in every later
 * update, newest last, at most {@value #MAX_KEPT}), the prompts they rejected (never chosen, at most
 * {@value #MAX_REJECTED}, the oldest forgotten first), and their feedback for the backward LLM (null when none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerGuidance(List<GuidedPrompt> kept, List<String> rejected, String feedback) {

    public static final int MAX_KEPT = 5;
    public static final int MAX_REJECTED = 200;
    public static final LayerGuidance NONE = new LayerGuidance(List.of(), List.of(), null);

    /** A prompt a person pinned (origin PINNED) or wrote (EDITED). */
    public record GuidedPrompt(String prompt, CandidateOrigin origin) {
    }

    public LayerGuidance {
        kept = kept == null ? List.of() : List.copyOf(kept);
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
        feedback = feedback == null || feedback.isBlank() ? null : feedback;
    }

    LayerGuidance with(GuidanceAction action) {
        List<GuidedPrompt> keep = new ArrayList<>(kept);
        List<String> reject = new ArrayList<>(rejected);
        String note = feedback;
        switch (action.kind()) {
            case PIN, EDIT -> {
                keep.removeIf(k -> k.prompt().equals(action.text()));
                keep.add(new GuidedPrompt(action.text(), action.kind() == GuidanceAction.Kind.PIN ? CandidateOrigin.PINNED : CandidateOrigin.EDITED));
                reject.remove(action.text());
            }
            case REJECT -> {
                keep.removeIf(k -> k.prompt().equals(action.text()));
                reject.remove(action.text());
                reject.add(action.text());
            }
            case FEEDBACK -> note = action.text();
        }
        return new LayerGuidance(last(keep, MAX_KEPT), last(reject, MAX_REJECTED), note);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return kept.isEmpty() && rejected.isEmpty() && feedback == null;
    }

    List<String> keptPrompts() {
        return kept.stream().map(GuidedPrompt::prompt).toList();
    }

    CandidateOrigin originOf(String prompt) {
        for (GuidedPrompt k : kept) {
            if (k.prompt().equals(prompt)) return k.origin();
        }
        return null;
    }

    private static <T> List<T> last(List<T> list, int max) {
        return list.size() <= max ? list : list.subList(list.size() - max, list.size());
    }
}
