package io.dln.core.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;

import java.util.HashMap;
import java.util.Map;

final class TemplateRenderer {

    private static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withFailOnUnknownTokens(false)
            .build());

    private TemplateRenderer() {
    }

    static String render(Template template, Map<String, ?> variables) {
        RenderResult result = JINJAVA.renderForResult(template.text(), new HashMap<>(variables));
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("template " + template.id() + " failed to render: " + error.getMessage());
            }
        }
        return result.getOutput();
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
