package io.dln.gateway.runs;

import io.dln.core.model.DlnSettings;
import io.dln.gateway.common.FieldProblem;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a sentence of {@link DlnSettings#problems()} ("iterations must be ...") into a field problem of
 * {@code <prefix>.<setting>}: the sentence starts with the setting it is about.
 */
public final class SettingsProblems {

    private static final Set<String> SETTINGS = Arrays.stream(DlnSettings.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toSet());

    private SettingsProblems() {
    }

    public static FieldProblem of(String prefix, String problem) {
        int end = 0;
        while (end < problem.length() && Character.isJavaIdentifierPart(problem.charAt(end))) end++;
        String setting = problem.substring(0, end);
        return FieldProblem.of(SETTINGS.contains(setting) ? prefix + "." + setting : prefix, problem);
    }
}
