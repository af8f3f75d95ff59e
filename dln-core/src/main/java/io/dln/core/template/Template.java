package io.dln.core.template;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named, versioned prompt template in Jinja syntax, with the stop sequences that end what it asks
 * for and, for templates that ask for a rewrite, the alternative rewrite messages to cycle through.
 */
public record Template(String name, int version, String description, String text, List<String> stop,
                       List<String> messages) {

    public Template {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        stop = stop == null ? List.of() : List.copyOf(stop);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    public String id() {
        return name + ":" + version;
    }

    public String render(Map<String, ?> variables) {
        return TemplateRenderer.render(this, variables);
    }

    /** The rewrite message for the i-th proposal, cycling; empty when the template has none. */
    public String message(int i) {
        return messages.isEmpty() ? "" : messages.get(i % messages.size());
    }
}
