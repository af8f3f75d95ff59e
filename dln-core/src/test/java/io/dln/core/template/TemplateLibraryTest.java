package io.dln.core.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateLibraryTest {

    private final TemplateLibrary library = TemplateLibrary.builtIn();

    @Test
    void builtInTemplatesCoverEveryRoleOfTheAlgorithm() {
        assertEquals(List.of("backward", "backward-sequential", "forward", "hidden-forward", "posterior", "posterior-with-answer", "residual"),
                library.names());
        assertEquals(4, library.get("backward").messages().size(), "rewrite messages to cycle through");
        assertTrue(library.get("forward").stop().contains("\n\n"));
    }

    @Test
    void analysesAndPosteriorSamplesAreNotCutAtABlankLine() {
        for (String name : List.of("hidden-forward", "posterior", "posterior-with-answer")) {
            assertEquals(List.of("###"), library.get(name).stop(), name + ": only a new section ends the text, as the reference (no stop)");
            assertTrue(library.get(name + ":1").stop().contains("\n\n"), name + ":1 keeps the old blank-line stop for comparison");
        }
    }

    @Test
    void forwardOmitsAnEmptyInstructionAndEndsWhereTheAnswerStarts() {
        String withPrompt = library.get("forward").render(Map.of("prompt", "Say yes or no.", "input", "Is it?"));
        assertEquals("### Instruction\nSay yes or no.\n\n### Input\nIs it?\n\n### Answer\n", withPrompt);
        String without = library.get("forward").render(Map.of("prompt", "", "input", "Is it?"));
        assertEquals("### Input\nIs it?\n\n### Answer\n", without);
    }

    @Test
    void backwardShowsRightAndWrongExamplesApart() {
        Map<String, Object> right = Map.of("input", "2+2", "target", "4", "output", "4", "loss", 0.0);
        Map<String, Object> wrong = Map.of("input", "3+3", "target", "6", "output", "5", "loss", 1.0);
        String text = library.get("backward").render(Map.of("prompt", "Add.", "message", "Be brief.",
                "examples", List.of(right, wrong), "right", List.of(right), "wrong", List.of(wrong)));
        assertTrue(text.contains("### Examples it got right\nInput: 2+2\nExpected output: 4\n"), text);
        assertTrue(text.contains("### Examples it got wrong\nInput: 3+3\nModel output: 5\nExpected output: 6\n"), text);
        assertTrue(text.endsWith("### Request\nBe brief.\n\n### Improved instruction\n"), text);
    }

    @Test
    void renderingInTheSharedContextGivesWhatAFreshJinjavaGives() {
        com.hubspot.jinjava.Jinjava fresh = new com.hubspot.jinjava.Jinjava(TemplateRenderer.CONFIG);
        Map<String, Object> example = Map.of("input", "3+3", "target", "6", "output", "5", "loss", 1.0);
        Map<String, Object> variables = Map.of("prompt", "Add.", "input", "Is it {{ odd }}?", "output", "h", "h", "earlier",
                "y", "Yes", "next_prompt", "", "message", "Be brief.", "examples", List.of(example), "right", List.of(),
                "wrong", List.of(example));
        for (String name : library.names()) {
            Template template = library.get(name);
            assertEquals(fresh.render(template.text(), variables), template.render(variables), name);
        }
    }

    @Test
    void parsedTreesRenderedFromManyThreadsGiveWhatAParseOfEachRenderGives() throws Exception {
        Map<String, Object> right = Map.of("input", "2+2", "target", "4", "output", "4", "loss", 0.0);
        List<Callable<Void>> renders = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            renders.add(() -> {
                for (int i = 0; i < 300; i++) {
                    String n = thread + "-" + i;
                    Map<String, Object> wrong = Map.of("input", "3+" + n, "target", "6", "output", n, "loss", 1.0);
                    Map<String, Object> variables = new HashMap<>(Map.of("prompt", i % 3 == 0 ? "" : "Add " + n + ".",
                            "input", "Is it " + n + "?", "output", "h" + n, "h", "h" + n, "earlier", "e" + n, "y", "Yes",
                            "next_prompt", i % 2 == 0 ? "" : "p" + n, "message", "Be brief " + n + ".", "examples", List.of(right, wrong)));
                    variables.put("right", List.of(right));
                    variables.put("wrong", i % 4 == 0 ? List.of() : List.of(wrong));
                    for (String name : library.names()) {
                        Template template = library.get(name);
                        assertEquals(TemplateRenderer.renderUnparsed(template, variables), template.render(variables), name + " " + n);
                    }
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Void> f : pool.invokeAll(renders)) f.get();
        }
    }

    @Test
    void aTemplateThatFailsToParseFailsEveryRenderAsBefore() {
        Template broken = new Template("broken", 1, "", "{% if %}x{% endif %}", List.of(), List.of());
        TemplateException unparsed = assertThrows(TemplateException.class, () -> TemplateRenderer.renderUnparsed(broken, Map.of()));
        for (int i = 0; i < 2; i++) {
            TemplateException e = assertThrows(TemplateException.class, () -> broken.render(Map.of()));
            assertEquals(unparsed.getMessage(), e.getMessage());
        }
    }

    @Test
    void aUserDirectoryAddsVersionsAndTemplates(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("forward.yaml"), """
                name: forward
                versions:
                  - version: 2
                    template: "Q: {{ input }}\\nA:"
                    stop: ["\\n"]
                """);
        Files.writeString(dir.resolve("terse.yml"), """
                name: terse
                versions:
                  - version: 1
                    template: "{{ prompt }} {{ input }}"
                """);
        TemplateLibrary withUser = TemplateLibrary.withDirectory(dir);
        assertEquals(2, withUser.get("forward").version(), "the newest version wins");
        assertEquals(1, withUser.get("forward:1").version());
        assertEquals(1, withUser.get("forward:v1").version());
        assertEquals("Q: x\nA:", withUser.get("forward").render(Map.of("input", "x")));
        assertEquals("hi x", withUser.get("terse").render(Map.of("prompt", "hi", "input", "x")));
    }

    @Test
    void unknownNamesVersionsAndBrokenFilesAreReportedClearly(@TempDir Path dir) throws IOException {
        TemplateException unknown = assertThrows(TemplateException.class, () -> library.get("sideways"));
        assertTrue(unknown.getMessage().contains("no template named 'sideways'"), unknown.getMessage());
        TemplateException version = assertThrows(TemplateException.class, () -> library.get("forward:9"));
        assertTrue(version.getMessage().contains("has no version '9'"), version.getMessage());

        Files.writeString(dir.resolve("broken.yaml"), "name: broken\nversions:\n  - version: 1\n    template: \"{% if %}\"\n");
        TemplateException broken = assertThrows(TemplateException.class, () -> TemplateLibrary.withDirectory(dir));
        assertTrue(broken.getMessage().contains("broken:1"), broken.getMessage());
        assertFalse(broken.getMessage().isBlank());
    }
}
