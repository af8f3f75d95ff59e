package io.dln.core.model;

import io.dln.core.lm.Capabilities;

import java.util.ArrayList;
import java.util.List;

/** Refuses, before any call is made, settings that need something the backends cannot do. */
public final class CapabilityCheck {

    private CapabilityCheck() {
    }

    public static List<String> problems(DlnSettings settings, boolean taskHasClasses, Capabilities forward,
                                        Capabilities backward, Capabilities scoring) {
        List<String> problems = new ArrayList<>();
        if (!forward.generation()) problems.add("the forward backend cannot generate text");
        if (!backward.generation()) problems.add("the backward backend cannot generate text, so no prompt can be proposed");
        boolean logprobScoring = settings.outputScoring() == OutputScoring.LOGPROBS;
        if (logprobScoring && taskHasClasses && !scoring.topLogprobs()) {
            problems.add("output scoring by log-probabilities over the task's classes needs first-token top-k log-probabilities,"
                    + " which the scoring backend lacks; set outputScoring to ACCURACY (DLN-1) or use a backend with top-k log-probabilities");
        }
        if (logprobScoring && !taskHasClasses && !scoring.echoLogprobs()) {
            problems.add("output scoring by log-probabilities of free-text answers needs echoed log-probabilities (echo with max_tokens 0),"
                    + " which the scoring backend lacks; set outputScoring to ACCURACY (DLN-1) or use a server that supports echo, such as vLLM");
        }
        if (settings.twoLayers() && !scoring.echoLogprobs()) {
            problems.add("DLN-2 scores hidden texts by echoed log-probabilities (echo with max_tokens 0), which the scoring backend lacks;"
                    + " use a server that supports echo, such as vLLM, or train a DLN-1");
        }
        if (settings.trustFactor() > 0 && !taskHasClasses) {
            problems.add("trustFactor needs a task with output classes: the trust region compares class distributions");
        }
        return problems;
    }
}
