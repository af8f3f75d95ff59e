package io.dln.simulator.world;

import io.dln.simulator.text.Token;
import io.dln.simulator.text.Tokenizer;
import io.dln.simulator.text.Vocabulary;
import io.dln.tasks.TaskWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated language model: reads a prompt as one of the DLN template calls, believes in a
 * distribution over continuations, samples from it and scores text with it. Deterministic in its
 * seed and its inputs.
 */
public final class SimulatedModel {

    private final TaskWorld world;
    private final Skill skill;
    private final InputFacts facts;
    private final long seed;
    // small: a context comes back within the training step that sends it, and the heap is small too
    private final BoundedCache<String, Optional<Scene>> scenes = new BoundedCache<>(4_096);
    private final BoundedCache<String, ContextScores> contexts = new BoundedCache<>(4_096);

    public SimulatedModel(TaskWorld world, WorldTuning tuning, long seed) {
        this.world = world;
        this.skill = new Skill(tuning);
        this.facts = new InputFacts(world);
        this.seed = seed;
    }

    public TaskWorld world() {
        return world;
    }

    /** What the model makes of a prompt; anything it cannot place gets a generic scene, never an error. */
    public Scene read(String prompt) {
        Sections sections = Sections.of(prompt);
        if (sections.isEmpty()) return GenericScene.reply(prompt.length(), seed, prompt);
        int boundary = sections.last().bodyStart();
        try {
            // a placed scene depends only on the prompt up to its boundary, and a DLN run reads the same context many
            // times: once per analysis it scores under it, per sample it draws
            Optional<Scene> scene = scenes.get(prompt.substring(0, boundary), context -> place(boundary, prompt, sections));
            return scene.orElseGet(() -> GenericScene.reply(boundary, seed, prompt));
        } catch (RuntimeException unplaceable) {
            // a family recognised the text but could not work with it: answer generically
            return GenericScene.reply(boundary, seed, prompt);
        }
    }

    private Optional<Scene> place(int boundary, String prompt, Sections sections) {
        return Optional.ofNullable(switch (sections.last().name()) {
            case "Answer" -> answer(boundary, sections);
            case "Analysis" -> analysis("analysis", boundary, sections);
            case "Another analysis" -> analysis("posterior", boundary, sections);
            case "Analysis that leads to the correct answer" -> informed(boundary, sections);
            case "Improved instruction" -> ProposalScene.of(boundary, prompt, sections, world, seed);
            default -> null;
        });
    }

    private Scene answer(int boundary, Sections sections) {
        String input = sections.first("Input");
        if (input == null) return null;
        String instruction = Optional.ofNullable(sections.first("Instruction")).orElse("");
        String analysis = sections.following("Input", "Analysis");
        Optional<InputFacts.Facts> known = facts.of(input);
        if (known.isPresent()) {
            return AnswerScene.ofTask(boundary, seed, skill, known.get(), instruction, input, analysis);
        }
        List<String> options = AnswerScene.options(input);
        return options.isEmpty() ? null : AnswerScene.ofOptions(boundary, seed, input, options);
    }

    private Scene analysis(String kind, int boundary, Sections sections) {
        String input = sections.first("Input");
        if (input == null) return null;
        String instruction = Optional.ofNullable(sections.first("Instruction")).orElse("");
        return facts.of(input)
                .<Scene>map(f -> AnalysisScene.forward(kind, boundary, seed, skill, f, instruction, input))
                .orElseGet(() -> GenericScene.analysis(kind, boundary, seed, input));
    }

    private Scene informed(int boundary, Sections sections) {
        String answer = sections.first("Correct answer");
        if (answer == null) return analysis("posterior", boundary, sections);
        String input = sections.first("Input");
        if (input == null) return null;
        String instruction = Optional.ofNullable(sections.first("Instruction")).orElse("");
        return facts.of(input)
                .<Scene>map(f -> AnalysisScene.informed(boundary, skill, f, instruction, input, answer))
                .orElseGet(() -> GenericScene.analysis("posterior-with-answer", boundary, seed, input));
    }

    /**
     * One sample continuing the prompt. {@code requestSeed} (null when the request gave none) and
     * {@code sampleIndex} pick the sample at a positive temperature; at temperature 0 the most
     * likely continuation is returned.
     */
    public Generated generate(Scene scene, String prompt, double temperature, Long requestSeed, int sampleIndex,
                              int maxTokens, List<String> stop, int topK) {
        return generate(scene, prompt, temperature, requestSeed, sampleIndex, maxTokens, stop, topK, Map.of());
    }

    /**
     * The same under a logit bias (token id to bias): the belief reweighted by the biases of the texts' first
     * tokens; when no text starts with a biased token, a bias of 10 or more makes the model write that token.
     */
    public Generated generate(Scene scene, String prompt, double temperature, Long requestSeed, int sampleIndex,
                              int maxTokens, List<String> stop, int topK, Map<Integer, Double> logitBias) {
        String already = prompt.substring(Math.min(scene.boundary(), prompt.length()));
        if (maxTokens == 0) return new Generated("", List.of(), "length");
        if (!already.isBlank()) return new Generated("", List.of(), "stop"); // continuing mid-answer: the model stops

        Candidates belief = scene.candidates();
        if (!logitBias.isEmpty()) {
            Map<String, Double> byToken = new HashMap<>();
            logitBias.forEach((id, bias) -> {
                String token = Vocabulary.token(id);
                if (token != null) byToken.merge(token, bias, Math::max);
            });
            Candidates biased = belief.biased(byToken);
            if (biased != null) {
                belief = biased;
            } else {
                var strongest = byToken.entrySet().stream().filter(e -> e.getValue() >= 10)
                        .max(Map.Entry.comparingByValue());
                if (strongest.isPresent()) belief = Candidates.builder().add(strongest.get().getKey(), 1.0).build();
            }
        }
        String text = temperature <= 0 ? belief.argmax().text() : belief.sample(temperature,
                Draws.random(seed, "sample", requestSeed == null ? "-" : requestSeed.toString(),
                        Double.toString(temperature), Integer.toString(sampleIndex), prompt)).text();
        String finish = "stop";
        int cut = firstStop(text, stop);
        if (cut >= 0) text = text.substring(0, cut);
        List<Token> tokens = Tokenizer.tokenize(text);
        if (tokens.size() > maxTokens) {
            tokens = tokens.subList(0, maxTokens);
            text = text.substring(0, tokens.getLast().end());
            finish = "length";
        }
        List<String> pieces = tokens.stream().map(Token::text).toList();
        List<Scene.Scored> scored = Scene.walk(belief, pieces, topK);
        List<ScoredToken> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            out.add(new ScoredToken(t.text(), t.offset(), scored.get(i).logprob(), scored.get(i).top()));
        }
        return new Generated(text, out, finish);
    }

    /**
     * The prompt's own tokens with log-probabilities, as echo returns them: the first token has none;
     * tokens before the scene's boundary get a generic fluency score, the continuation after it is
     * scored by the scene.
     */
    public List<ScoredToken> echo(Scene scene, String prompt, int topK) {
        int boundary = Math.min(scene.boundary(), prompt.length());
        ContextScores context = contexts.get(prompt.substring(0, boundary), this::scoreContext);
        List<Token> rest = Tokenizer.tokenize(prompt, boundary);
        List<ScoredToken> out = new ArrayList<>(context.size() + rest.size());
        for (int i = 0, start = 0; i < context.size(); start = context.ends()[i++]) {
            String text = prompt.substring(start, context.ends()[i]);
            if (i == 0) {
                out.add(new ScoredToken(text, start, null, null));
                continue;
            }
            double lp = context.logprobs()[i];
            out.add(new ScoredToken(text, start, lp, topK > 0 ? Alternatives.generic(text, lp, topK) : null));
        }
        if (!rest.isEmpty()) {
            String continuation = prompt.substring(boundary);
            List<Scene.Scored> scored = scene.score(continuation, rest.stream().map(Token::text).toList(), topK);
            for (int i = 0; i < rest.size(); i++) {
                Token t = rest.get(i);
                Double lp = context.size() == 0 && i == 0 ? null : scored.get(i).logprob();
                out.add(new ScoredToken(t.text(), t.offset(), lp, lp == null ? null : scored.get(i).top()));
            }
        }
        return out;
    }

    /** Where each token of a context ends, and its generic fluency score (none for the first). */
    private record ContextScores(int[] ends, double[] logprobs) {
        int size() {
            return ends.length;
        }
    }

    /**
     * Scores a context's tokens, kept as bare numbers since contexts are long and many. The boundary always follows
     * a newline, which is a token of its own, so the context tokenizes alone as it does within the prompt.
     */
    private ContextScores scoreContext(String context) {
        List<Token> tokens = Tokenizer.tokenize(context);
        int[] ends = new int[tokens.size()];
        double[] logprobs = new double[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            ends[i] = tokens.get(i).end();
            if (i > 0) logprobs[i] = -(0.2 + 4.0 * Draws.unit(seed, "context", tokens.get(i - 1).text(), tokens.get(i).text()));
        }
        return new ContextScores(ends, logprobs);
    }

    static int firstStop(String text, List<String> stop) {
        int first = -1;
        for (String s : stop) {
            if (s.isEmpty()) continue;
            int at = text.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }
}
