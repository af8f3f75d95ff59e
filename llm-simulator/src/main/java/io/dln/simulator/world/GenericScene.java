package io.dln.simulator.world;

import java.util.List;

/** A prompt the simulator cannot place in its world: a fluent, plainly generic reply, never an error. */
record GenericScene(String kind, int boundary, Candidates candidates) implements Scene {

    private static final List<String> REPLIES = List.of(
            "This is the DLN LLM simulator. It answers the prompts of its simulated tasks in earnest; for anything"
                    + " else it writes a short, neutral reply like this one.",
            "The simulator found no task it knows in this prompt, so here is a general answer: it depends on"
                    + " details the prompt leaves open.",
            "A simulated reply: read the input closely, say what is being asked, and answer it in a few words.");
    private static final List<String> ANALYSES = List.of(
            "The input asks a question whose answer depends on the details it gives; they are taken one at a time.",
            "Reading the input step by step: it states some facts and asks one question about them.",
            "The key facts of the input are restated here before anyone answers it.");

    static GenericScene reply(int boundary, long seed, String prompt) {
        return new GenericScene("generic", boundary, rotate(REPLIES, seed, prompt));
    }

    static GenericScene analysis(String kind, int boundary, long seed, String input) {
        return new GenericScene(kind, boundary, rotate(ANALYSES, seed, input));
    }

    /** The same texts with weights 0.6, 0.3, 0.1, in an order fixed by the prompt. */
    private static Candidates rotate(List<String> texts, long seed, String key) {
        int first = (int) Math.floorMod(Draws.hash(seed, "generic", key), (long) texts.size());
        double[] weights = {0.6, 0.3, 0.1};
        Candidates.Builder b = Candidates.builder();
        for (int i = 0; i < texts.size(); i++) b.add(texts.get((first + i) % texts.size()), weights[i]);
        return b.build();
    }
}
