package io.dln.simulator.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a prompt at the "### Header" lines of the DLN templates. Only the headers those templates
 * use count, so other lines starting with "###" stay inside their section.
 */
final class Sections {

    static final Set<String> HEADERS = Set.of("Instruction", "Input", "Analysis", "Answer", "Current instruction",
            "Examples it got right", "Examples it got wrong", "Request", "Improved instruction", "Earlier analysis",
            "Another analysis", "Correct answer", "Analysis that leads to the correct answer");

    /** A header and the text under it, up to the next header. */
    record Section(String name, int headerStart, int bodyStart, int bodyEnd) {
        String body(String prompt) {
            return prompt.substring(bodyStart, bodyEnd);
        }
    }

    private final String prompt;
    private final List<Section> sections;

    private Sections(String prompt, List<Section> sections) {
        this.prompt = prompt;
        this.sections = sections;
    }

    static Sections of(String prompt) {
        List<int[]> headers = new ArrayList<>(); // start of header line, start of body
        List<String> names = new ArrayList<>();
        int lineStart = 0;
        while (lineStart <= prompt.length()) {
            int nl = prompt.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? prompt.length() : nl;
            int at = lineStart;
            while (at < lineEnd && (prompt.charAt(at) == ' ' || prompt.charAt(at) == '\t')) at++;
            if (prompt.startsWith("### ", at)) {
                String name = prompt.substring(at + 4, lineEnd).strip();
                if (HEADERS.contains(name)) {
                    names.add(name);
                    headers.add(new int[]{lineStart, nl < 0 ? prompt.length() : nl + 1});
                }
            }
            if (nl < 0) break;
            lineStart = nl + 1;
        }
        List<Section> sections = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < names.size() ? headers.get(i + 1)[0] : prompt.length();
            sections.add(new Section(names.get(i), headers.get(i)[0], headers.get(i)[1], end));
        }
        return new Sections(prompt, sections);
    }

    boolean isEmpty() {
        return sections.isEmpty();
    }

    Section last() {
        return sections.getLast();
    }

    /** The stripped body of the first section with this name, or null. */
    String first(String name) {
        for (Section s : sections) {
            if (s.name().equals(name)) return s.body(prompt).strip();
        }
        return null;
    }

    /** The stripped body of the named section when it comes right after {@code after}, or null. */
    String following(String after, String name) {
        for (int i = 0; i + 1 < sections.size(); i++) {
            if (sections.get(i).name().equals(after) && sections.get(i + 1).name().equals(name)) {
                return sections.get(i + 1).body(prompt).strip();
            }
        }
        return null;
    }

    /** The stripped text from the start of the first {@code from} section to the start of the last {@code to} section. */
    String span(String from, String to) {
        int start = -1, end = -1;
        for (Section s : sections) {
            if (start < 0 && s.name().equals(from)) start = s.bodyStart();
            if (s.name().equals(to)) end = s.headerStart();
        }
        if (start < 0 || end < start) return null;
        return prompt.substring(start, end).strip();
    }
}
