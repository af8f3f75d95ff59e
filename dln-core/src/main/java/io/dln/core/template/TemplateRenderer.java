package io.dln.core.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders templates in a child of one shared global context. {@code Jinjava.renderForResult} copies the
 * global context for every render, registering every filter, tag and function again, which costs more
 * than the render itself when thousands of prompts are rendered per step; templates define no globals,
 * so sharing the context changes nothing in their output.
 */
final class TemplateRenderer {

    static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withFailOnUnknownTokens(false)
            .build();
    private static final Jinjava JINJAVA = new Jinjava(CONFIG);

    private TemplateRenderer() {
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

    static void checkSyntax(Template template) {
        RenderResult result = JINJAVA.renderForResult(template.text(), Map.of());
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("template " + template.id() + " is not valid Jinja: " + error.getMessage());
            }
        }
    }
}
