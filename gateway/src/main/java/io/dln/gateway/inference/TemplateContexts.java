package io.dln.gateway.inference;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import io.dln.core.template.Template;
import io.dln.core.template.TemplateException;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders a stored template as {@link Template#render} does (the same engine and settings), but in a child of one
 * shared global context. {@code Jinjava.renderForResult} builds a fresh copy of the global context for every render,
 * registering every filter, tag and function again; under load that was about a tenth of the gateway's CPU. The
 * layer templates define no macros or globals, so sharing the global context changes nothing in their output
 * (TemplateContextsTest compares both on the built-in templates).
 */
final class TemplateContexts {

    private static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withFailOnUnknownTokens(false)
            .build());

    private TemplateContexts() {
    }

    static String render(Template template, Map<String, ?> variables) {
        Context context = new Context(JINJAVA.getGlobalContext(), new HashMap<>(variables), JINJAVA.getGlobalConfig().getDisabled());
        JinjavaInterpreter interpreter = new JinjavaInterpreter(JINJAVA, context, JINJAVA.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output;
            try {
                output = interpreter.render(template.text());
            } catch (RuntimeException e) {
                throw new TemplateException("template " + template.id() + " failed to render: " + e.getMessage(), e);
            }
            for (TemplateError error : interpreter.getErrors()) {
                if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                    throw new TemplateException("template " + template.id() + " failed to render: " + error.getMessage());
                }
            }
            return output;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }
}
