package io.dln.core.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Renders templates in a child of a copy of the global context, taken from a pool: {@code Jinjava.renderForResult}
 * copies the global context for every render, registering every filter, tag and function again, which costs more
 * than the render itself when thousands of prompts are rendered per step; templates define no globals, so reusing a
 * copy changes nothing in their output. A copy serves one render at a time: Jinjava's contexts share sets of variable
 * names with their root, which a for loop writes (two threads rendering loops under one shared root failed with
 * ConcurrentModificationException).
 * <p>
 * A template's text is parsed once and its tree rendered by a fresh interpreter each time: what
 * {@code JinjavaInterpreter.render(String)} does, without the parse. Jinjava 2.7's tree is not changed by
 * rendering (its nodes and tokens are written only by the parser; the one exception, the eager if tag, belongs
 * to the eager execution mode, which is not ours), so one tree serves all threads.
 */
final class TemplateRenderer {

    static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withFailOnUnknownTokens(false)
            .build();
    private static final Jinjava JINJAVA = new Jinjava(CONFIG);
    /** Stored versions bring texts of their own; past this many the cache starts again rather than grow. */
    private static final int MAX_PARSED = 512;
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();
    /** Copies of the global context not in use: at most as many as renders have ever run at once. */
    private static final Queue<Context> ROOTS = new ConcurrentLinkedQueue<>();

    /** A parsed text with the errors its parse reported, which every render of it reports before its own, as an unparsed render does. */
    private record Parsed(Node root, List<TemplateError> errors) {
    }

    private TemplateRenderer() {
    }

    static String render(Template template, Map<String, ?> variables) {
        Context root = root();
        JinjavaInterpreter interpreter = interpreter(root, variables);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output;
            Parsed parsed;
            try {
                parsed = parsed(template.text());
                output = interpreter.render(parsed.root());
            } catch (RuntimeException e) {
                throw new TemplateException("template " + template.id() + " failed to render: " + e.getMessage(), e);
            }
            failOnFatal(template, parsed.errors());
            failOnFatal(template, interpreter.getErrors());
            return output;
        } finally {
            JinjavaInterpreter.popCurrent();
            ROOTS.offer(root);
        }
    }

    /** Renders as before parsed trees were kept: parse and render in one interpreter. For comparison in tests. */
    static String renderUnparsed(Template template, Map<String, ?> variables) {
        JinjavaInterpreter interpreter = interpreter(copyOfGlobalContext(), variables);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output;
            try {
                output = interpreter.render(template.text());
            } catch (RuntimeException e) {
                throw new TemplateException("template " + template.id() + " failed to render: " + e.getMessage(), e);
            }
            failOnFatal(template, interpreter.getErrors());
            return output;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static JinjavaInterpreter interpreter(Context root, Map<String, ?> variables) {
        Context context = new Context(root, new HashMap<>(variables), JINJAVA.getGlobalConfig().getDisabled());
        return new JinjavaInterpreter(JINJAVA, context, JINJAVA.getGlobalConfig());
    }

    private static Context root() {
        Context root = ROOTS.poll();
        return root != null ? root : copyOfGlobalContext();
    }

    /** What {@code Jinjava.renderForResult} renders under: the global context's bindings and libraries, in a root of its own. */
    private static Context copyOfGlobalContext() {
        Context global = JINJAVA.getGlobalContext();
        Context copy = new Context(null, global);
        global.getAllExpTests().forEach(copy::registerExpTest);
        global.getAllFilters().forEach(copy::registerFilter);
        global.getAllFunctions().forEach(copy::registerFunction);
        global.getAllTags().forEach(copy::registerTag);
        copy.setAutoEscape(global.isAutoEscape());
        copy.setDynamicVariableResolver(global.getDynamicVariableResolver());
        return copy;
    }

    private static Parsed parsed(String text) {
        Parsed parsed = PARSED.get(text);
        if (parsed != null) return parsed;
        Context root = root();
        JinjavaInterpreter parser = interpreter(root, Map.of());
        JinjavaInterpreter.pushCurrent(parser);
        try {
            parsed = new Parsed(parser.parse(text), List.copyOf(parser.getErrors()));
        } finally {
            JinjavaInterpreter.popCurrent();
            ROOTS.offer(root);
        }
        if (PARSED.size() >= MAX_PARSED) PARSED.clear();
        PARSED.putIfAbsent(text, parsed);
        return parsed;
    }

    private static void failOnFatal(Template template, List<TemplateError> errors) {
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("template " + template.id() + " failed to render: " + error.getMessage());
            }
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
