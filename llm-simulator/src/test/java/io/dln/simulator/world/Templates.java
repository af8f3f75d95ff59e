package io.dln.simulator.world;

import java.util.List;

/**
 * Renders prompts the way the DLN templates in dln-core (forward, hidden-forward, residual,
 * posterior, posterior-with-answer, backward) come out, so the world can be tested without them.
 */
public final class Templates {

    private Templates() {
    }

    public static String forward(String prompt, String input) {
        String head = prompt == null || prompt.isEmpty() ? "" : "### Instruction\n" + prompt + "\n\n";
        return head + "### Input\n" + input + "\n\n### Answer\n";
    }

    public static String residual(String input, String analysis) {
        return input + "\n\n### Analysis\n" + analysis;
    }

    public static String hidden(String prompt, String input) {
        return "### Input\n" + input + "\n\n### Instruction\n" + instructionOrDefault(prompt) + "\n\n### Analysis\n";
    }

    public static String posterior(String prompt, String input, String earlier) {
        return "### Input\n" + input + "\n\n### Instruction\n" + instructionOrDefault(prompt)
                + "\n\n### Earlier analysis\n" + earlier + "\n\n### Another analysis\n";
    }

    public static String posteriorWithAnswer(String prompt, String input, String answer) {
        return "### Input\n" + input + "\n\n### Instruction\n" + instructionOrDefault(prompt)
                + "\n\n### Correct answer\n" + answer + "\n\n### Analysis that leads to the correct answer\n";
    }

    /** An example shown to the backward call: its input, the model's output, the expected output. */
    public record Shown(String input, String output, String target, boolean right) {
    }

    public static String backward(String prompt, String message, List<Shown> examples) {
        StringBuilder sb = new StringBuilder();
        sb.append("A model reads an instruction and then an input, and writes an output. You can change only the instruction.\n");
        sb.append("Study what the model did with the current instruction and write an instruction that makes it right more often.\n\n");
        sb.append("### Current instruction\n").append(prompt == null || prompt.isEmpty() ? "(none)" : prompt).append("\n[END]\n\n");
        sb.append("### Examples it got right\n");
        List<Shown> right = examples.stream().filter(Shown::right).toList();
        for (Shown e : right) sb.append("Input: ").append(e.input()).append("\nExpected output: ").append(e.target()).append("\n\n");
        if (right.isEmpty()) sb.append("(none)\n\n");
        sb.append("### Examples it got wrong\n");
        List<Shown> wrong = examples.stream().filter(e -> !e.right()).toList();
        for (Shown e : wrong) {
            sb.append("Input: ").append(e.input()).append("\nModel output: ").append(e.output())
                    .append("\nExpected output: ").append(e.target()).append("\n\n");
        }
        if (wrong.isEmpty()) sb.append("(none)\n\n");
        sb.append("### Request\n").append(message).append("\n\n### Improved instruction\n");
        return sb.toString();
    }

    public static final List<String> MESSAGES = List.of(
            "Make the instruction clearer, adding a few words or one short sentence.",
            "Make the instruction more useful by saying how examples like these are worked out.",
            "Make the instruction shorter, keeping only what helps.",
            "Make the instruction more detailed, so that no example can be read two ways.");

    private static String instructionOrDefault(String prompt) {
        return prompt == null || prompt.isEmpty() ? "Work through the input step by step." : prompt;
    }
}
