package io.dln.gateway.inference;

import io.dln.core.template.Template;
import io.dln.core.template.TemplateException;
import io.dln.core.template.TemplateLibrary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The gateway's renderer gives exactly what dln-core's gives, on every built-in template. */
class TemplateContextsTest {

    private static final List<Map<String, Object>> VARIABLES = List.of(
            Map.of("prompt", "Answer yes or no.", "input", "Is water wet?", "output", "It is."),
            Map.of("prompt", "", "input", "Options:\n- a\n- b", "output", ""),
            Map.of("prompt", "Quote \"this\" and {braces}", "input", "<b>x</b> & y", "output", "line 1\n\nline 2"),
            Map.of("input", "no prompt at all"));

    @Test
    void rendersAsTheTemplateItselfDoes() {
        TemplateLibrary library = TemplateLibrary.builtIn();
        for (String name : library.names()) {
            Template template = library.get(name);
            for (Map<String, Object> variables : VARIABLES) {
                assertEquals(template.render(variables), TemplateContexts.render(template, variables), name + " with " + variables);
            }
        }
    }

    @Test
    void aBrokenTemplateFailsLikeDlnCores() {
        Template broken = new Template("broken", 1, null, "{% if %}", List.of(), List.of());
        assertThrows(TemplateException.class, () -> broken.render(Map.of()));
        assertThrows(TemplateException.class, () -> TemplateContexts.render(broken, Map.of()));
    }
}
