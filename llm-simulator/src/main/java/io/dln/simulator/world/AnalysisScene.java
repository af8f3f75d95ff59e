package io.dln.simulator.world;

import io.dln.tasks.TaskFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * A call that writes the hidden analysis of a task input: the hidden layer's forward pass or one
 * of the posterior proposals. The model believes the analysis states the right intermediate result
 * with probability {@code right}; the texts it can write are the family's phrasings of the right
 * working and of typical mistakes, plus a rare one that works nothing out.
 */
final class AnalysisScene implements Scene {

    static final String NO_WORKING = "No working is shown here; the answer will have to be a guess.";
    private static final double PHRASING_PENALTY = -1.0;

    private final String kind;
    private final int boundary;
    private final TaskFamily family;
    private final String input;
    private final double right;
    private final double none;
    private final Candidates candidates;

    private AnalysisScene(String kind, int boundary, InputFacts.Facts facts, String input, double right, double none) {
        this.kind = kind;
        this.boundary = boundary;
        this.family = facts.family();
        this.input = input;
        this.right = right;
        this.none = none;
        Candidates.Builder b = Candidates.builder();
        facts.right().forEach(t -> b.add(t, (1 - none) * right / facts.right().size()));
        facts.wrong().forEach(t -> b.add(t, (1 - none) * (1 - right) / facts.wrong().size()));
        b.add(NO_WORKING, none);
        this.candidates = b.build();
    }

    /** The hidden layer's analysis (and the posterior without the answer, which samples the same belief). */
    static AnalysisScene forward(String kind, int boundary, long seed, Skill skill, InputFacts.Facts facts,
                                 String instruction, String input) {
        Skill.Profile profile = skill.profile(facts.family(), instruction);
        double q = skill.analysisAccuracy(facts.family(), profile);
        double u = Draws.unit(seed, "analysis", facts.family().name(), input)
                + skill.tuning().promptJitter() * (Draws.unit(seed, "analysis-jitter", profile.normalized(), input) - 0.5);
        double right = Draws.sigmoid(skill.tuning().sharpness() * (q - u));
        return new AnalysisScene(kind, boundary, facts, input, right, profile.guessing() ? 0.5 : 0.02);
    }

    /** The posterior proposal that sees the correct answer: mostly an analysis that reaches it. */
    static AnalysisScene informed(int boundary, Skill skill, InputFacts.Facts facts, String instruction,
                                  String input, String answer) {
        boolean agrees = facts.family().classIndex(answer) == facts.correct();
        double right = agrees ? skill.informedAnalysisAccuracy(skill.profile(facts.family(), instruction)) : 0.2;
        return new AnalysisScene("posterior-with-answer", boundary, facts, input, right, 0.01);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int boundary() {
        return boundary;
    }

    @Override
    public Candidates candidates() {
        return candidates;
    }

    /**
     * A text the model could have written scores as its own candidate; any other analysis scores by
     * what it states: the log of the chance of stating that (right, wrong or nothing), less a penalty
     * for wording the model would not use, spread evenly over its tokens.
     */
    @Override
    public List<Scored> score(String continuation, List<String> tokens, int topK) {
        if (tokens.isEmpty() || candidates.find(continuation) != null) return Scene.super.score(continuation, tokens, topK);
        Candidates.Candidate own = candidates.find(continuation.strip().replace("\n", "\n\n"));
        if (own != null) {
            // the model's own text with its blank lines made single line breaks, as DLN keeps hidden texts
            return evenly(Math.log(own.probability()), tokens, topK);
        }
        double p = switch (family.judge(input, continuation)) {
            case RIGHT -> (1 - none) * right;
            case WRONG -> (1 - none) * (1 - right);
            case NONE -> none;
        };
        return evenly(Math.log(Math.max(p, 1e-6)) + Math.log(1.0 / 3) + PHRASING_PENALTY, tokens, topK);
    }

    private static List<Scored> evenly(double total, List<String> tokens, int topK) {
        double each = total / tokens.size();
        List<Scored> scored = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            scored.add(new Scored(each, topK > 0 ? Alternatives.generic(token, each, topK) : null));
        }
        return scored;
    }
}
