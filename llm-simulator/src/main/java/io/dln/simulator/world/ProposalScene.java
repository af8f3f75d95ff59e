package io.dln.simulator.world;

import io.dln.tasks.Insight;
import io.dln.tasks.InsightKind;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backward call: propose a better instruction. The candidates are edits of the current instruction
 * guided by the rewrite message: adding a missing insight (most likely one that helps the layer being
 * trained), a neutral rewording, dropping a sentence, or a harmful addition. Which layer is trained
 * shows in the examples: short class answers as expected outputs mean the output layer, analysis
 * texts mean the hidden layer.
 */
record ProposalScene(int boundary, Candidates candidates, Layer layer, Optional<TaskFamily> family)
        implements Scene {

    enum Layer { OUTPUT, HIDDEN }

    enum Style { CLARIFY, EXPLAIN, SHORTEN, DETAIL, OTHER }

    static final int MAX_CHARS = 400;
    static final String HARMFUL_HIDDEN = "Do not work anything out; just guess.";
    private static final Pattern EXPECTED = Pattern.compile("(?m)^Expected output: ?(.*)$");
    private static final List<String> NEUTRAL = List.of(
            "Read the whole input before answering.", "Be careful and precise.",
            "Think about what exactly is being asked.", "Keep the reply brief.");
    private static final String[][] SYNONYMS = {
            {"Answer the question", "Respond to the question"}, {"Respond to the question", "Answer the question"},
            {"Decide whether", "Work out whether"}, {"Work out whether", "Decide whether"},
            {"the two baskets", "both baskets"}, {"about the numbers", "about these numbers"},
            {"where it began", "where it started"}, {"Be careful and precise.", "Be precise and careful."}};
    // share of the proposal mass per kind of edit, by rewrite style: add insight, neutral, shorten, harmful
    private static final Map<Style, double[]> MIX = Map.of(
            Style.CLARIFY, new double[]{0.42, 0.42, 0.08, 0.08},
            Style.EXPLAIN, new double[]{0.62, 0.24, 0.06, 0.08},
            Style.SHORTEN, new double[]{0.17, 0.25, 0.50, 0.08},
            Style.DETAIL, new double[]{0.57, 0.29, 0.06, 0.08},
            Style.OTHER, new double[]{0.37, 0.47, 0.08, 0.08});

    @Override
    public String kind() {
        return "proposal";
    }

    static ProposalScene of(int boundary, String prompt, Sections sections, TaskWorld world, long seed) {
        String current = currentInstruction(prompt, sections);
        String message = Optional.ofNullable(sections.first("Request")).orElse("");
        String examples = Optional.ofNullable(sections.span("Current instruction", "Request")).orElse("");
        Optional<TaskFamily> family = world.find(examples);
        Layer layer = layer(examples, family);
        Candidates candidates = propose(current, style(message), layer, family, seed);
        return new ProposalScene(boundary, candidates, layer, family);
    }

    private static String currentInstruction(String prompt, Sections sections) {
        String body = sections.first("Current instruction");
        if (body == null) return "";
        int end = body.indexOf("[END]");
        String current = (end >= 0 ? body.substring(0, end) : body).strip();
        return current.equals("(none)") ? "" : current.replaceAll("\\s*\\n\\s*", " ");
    }

    static Style style(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("shorter") || m.contains("shorten")) return Style.SHORTEN;
        if (m.contains("worked out") || m.contains("example")) return Style.EXPLAIN;
        if (m.contains("detail")) return Style.DETAIL;
        if (m.contains("clear")) return Style.CLARIFY;
        return Style.OTHER;
    }

    static Layer layer(String examples, Optional<TaskFamily> family) {
        Matcher m = EXPECTED.matcher(examples);
        int total = 0, answers = 0;
        while (m.find()) {
            String expected = m.group(1).strip();
            total++;
            boolean isClass = family.map(f -> f.classIndex(expected) >= 0)
                    .orElse(expected.split("\\s+").length <= 3);
            if (isClass) answers++;
        }
        return total == 0 || 2 * answers >= total ? Layer.OUTPUT : Layer.HIDDEN;
    }

    static Candidates propose(String current, Style style, Layer layer, Optional<TaskFamily> family, long seed) {
        String base = current.isBlank()
                ? family.map(TaskFamily::initialInstruction).orElse("Answer the question.")
                : current;
        List<String> sentences = sentences(base);
        double[] mix = MIX.get(style);

        List<String> additions = new ArrayList<>();
        List<Double> additionWeights = new ArrayList<>();
        if (family.isPresent()) {
            InsightKind wanted = layer == Layer.OUTPUT ? InsightKind.ANSWER : InsightKind.REASONING;
            for (Insight insight : family.get().insights()) {
                if (insight.presentIn(base)) continue;
                additions.add(base + " " + insight.sentence());
                additionWeights.add(insight.kind() == wanted ? 0.85 : 0.15);
            }
        } else {
            for (String generic : List.of("State the answer plainly.", "Check the answer against the question.")) {
                if (!base.contains(generic)) {
                    additions.add(base + " " + generic);
                    additionWeights.add(1.0);
                }
            }
        }
        // an instruction carrying a harmful sentence may get repaired
        List<String> repaired = sentences.stream().filter(s -> !harmful(s, family)).toList();
        if (repaired.size() < sentences.size() && !repaired.isEmpty()) {
            additions.add(String.join(" ", repaired));
            additionWeights.add(0.5);
        }

        List<String> neutral = new ArrayList<>();
        if (current.isBlank()) neutral.add(base);
        String extra = NEUTRAL.get((int) Math.floorMod(Draws.hash(seed, "neutral", base), (long) NEUTRAL.size()));
        if (!base.contains(extra)) neutral.add(base + " " + extra);
        for (String[] pair : SYNONYMS) {
            if (base.contains(pair[0])) {
                neutral.add(base.replaceFirst(Pattern.quote(pair[0]), pair[1]));
                break;
            }
        }
        if (sentences.size() >= 2) {
            List<String> rotated = new ArrayList<>(sentences);
            rotated.addFirst(rotated.removeLast());
            neutral.add(String.join(" ", rotated));
        }

        List<String> shorter = new ArrayList<>();
        for (int i = 0; sentences.size() >= 2 && i < Math.min(4, sentences.size()); i++) {
            List<String> kept = new ArrayList<>(sentences);
            kept.remove(i);
            shorter.add(String.join(" ", kept));
        }

        List<String> harm = new ArrayList<>();
        if (layer == Layer.HIDDEN) {
            harm.add(base + " " + HARMFUL_HIDDEN);
        } else if (family.isPresent()) {
            List<String> protos = family.get().prototypes();
            String forced = protos.get((int) Math.floorMod(Draws.hash(seed, "forced", base), (long) protos.size()));
            harm.add(base + " Always answer " + forced + ".");
        } else {
            harm.add(base + " Answer at a glance, without reading closely.");
        }

        Map<String, Double> weights = new LinkedHashMap<>();
        double[] used = mix.clone();
        List<List<String>> buckets = List.of(additions, neutral, shorter, harm);
        double missing = 0;
        for (int k = 0; k < buckets.size(); k++) if (buckets.get(k).isEmpty()) missing += used[k];
        double scale = 1.0 / (1.0 - missing);
        for (int k = 0; k < buckets.size(); k++) {
            List<String> bucket = buckets.get(k);
            if (bucket.isEmpty()) continue;
            double mass = used[k] * scale;
            double weightSum = k == 0 ? additionWeights.stream().mapToDouble(Double::doubleValue).sum() : bucket.size();
            for (int i = 0; i < bucket.size(); i++) {
                double w = k == 0 ? additionWeights.get(i) : 1.0;
                weights.merge(cap(bucket.get(i), family), mass * w / weightSum, Double::sum);
            }
        }
        Candidates.Builder b = Candidates.builder();
        weights.forEach(b::add);
        return b.build();
    }

    private static boolean harmful(String sentence, Optional<TaskFamily> family) {
        return Skill.guessing(sentence) || family.map(f -> Skill.forcedClass(f, sentence).isPresent()).orElse(false)
                || sentence.contains("without reading closely");
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.strip().split("(?<=[.!?])\\s+")) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return out;
    }

    /** Keeps an instruction under {@link #MAX_CHARS}: drops its earliest sentences, those without an insight first. */
    static String cap(String instruction, Optional<TaskFamily> family) {
        String text = instruction.replaceAll("\\s+", " ").strip();
        if (text.length() <= MAX_CHARS) return text;
        List<String> sentences = sentences(text);
        while (sentences.size() > 1 && String.join(" ", sentences).length() > MAX_CHARS) {
            int drop = 0;
            for (int i = 0; i < sentences.size(); i++) {
                String s = sentences.get(i);
                if (family.map(f -> f.insights().stream().noneMatch(in -> in.presentIn(s))).orElse(true)) {
                    drop = i;
                    break;
                }
            }
            sentences.remove(drop);
        }
        String joined = String.join(" ", sentences);
        return joined.length() <= MAX_CHARS ? joined : joined.substring(0, MAX_CHARS).strip();
    }
}
