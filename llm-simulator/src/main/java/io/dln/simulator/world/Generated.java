package io.dln.simulator.world;

import java.util.List;

/** One generated continuation: its text, its tokens (offsets from the start of the text) and why it ended. */
public record Generated(String text, List<ScoredToken> tokens, String finishReason) {

    public int completionTokens() {
        return tokens.size();
    }
}
