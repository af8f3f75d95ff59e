package io.dln.simulator.api;

import io.dln.simulator.api.Dtos.ChatChoice;
import io.dln.simulator.api.Dtos.ChatCompletion;
import io.dln.simulator.api.Dtos.ChatLogprobs;
import io.dln.simulator.api.Dtos.ChatMessage;
import io.dln.simulator.api.Dtos.ChatToken;
import io.dln.simulator.api.Dtos.Completion;
import io.dln.simulator.api.Dtos.CompletionChoice;
import io.dln.simulator.api.Dtos.LegacyLogprobs;
import io.dln.simulator.api.Dtos.TopToken;
import io.dln.simulator.api.Dtos.Usage;
import io.dln.simulator.config.SimulatorConfig;
import io.dln.simulator.text.Tokenizer;
import io.dln.simulator.world.Alternative;
import io.dln.simulator.world.Draws;
import io.dln.simulator.world.Generated;
import io.dln.simulator.world.Scene;
import io.dln.simulator.world.ScoredToken;
import io.dln.simulator.world.SimulatedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns validated requests into OpenAI-shaped responses from the simulated model. */
@ApplicationScoped
public class Inference {

    private final SimulatedModel model;
    private final long seed;
    // fixed at start, so that the same request gets a byte-identical response while the simulator runs
    private final long created = Instant.now().getEpochSecond();

    public Inference(SimulatedModel model, SimulatorConfig config) {
        this.model = model;
        this.seed = config.seed();
    }

    public long created() {
        return created;
    }

    public Prepared completion(CompletionParams p, String body) {
        List<CompletionChoice> choices = new ArrayList<>(p.prompts().size() * p.n());
        int k = p.logprobs() == null ? 0 : p.logprobs();
        int promptTokens = 0, completionTokens = 0, longestPrompt = 0, longestCompletion = 0;
        int index = 0;
        for (String prompt : p.prompts()) {
            Scene scene = model.read(prompt);
            int tokens = Tokenizer.count(prompt);
            promptTokens += tokens;
            longestPrompt = Math.max(longestPrompt, tokens);
            List<ScoredToken> echoed = p.echo() && p.logprobs() != null ? model.echo(scene, prompt, k) : null;
            for (int s = 0; s < p.n(); s++) {
                Generated g = model.generate(scene, prompt, p.temperature(), p.seed(), s, p.maxTokens(), p.stop(), k,
                        p.logitBias());
                completionTokens += g.completionTokens();
                longestCompletion = Math.max(longestCompletion, g.completionTokens());
                String text = p.echo() ? prompt + g.text() : g.text();
                LegacyLogprobs logprobs = p.logprobs() == null ? null
                        : new LegacyLogprobs(echoed == null ? List.of() : echoed, g.tokens(), p.echo() ? prompt.length() : 0);
                choices.add(new CompletionChoice(index++, text, logprobs, g.finishReason()));
            }
        }
        Completion completion = new Completion("cmpl-" + id(body), "text_completion", created, p.model(), choices,
                Usage.of(promptTokens, completionTokens));
        return new Prepared(completion, p.prompts().size() * p.n(), longestPrompt, longestCompletion);
    }

    public Prepared chat(ChatParams p, String body) {
        Scene scene = model.read(p.conversation());
        // a few tokens per message for the chat format, roughly as chat templates add them
        int promptTokens = Tokenizer.count(p.conversation()) + 3 * p.messages() + 3;
        int k = p.logprobs() ? p.topLogprobs() : 0;
        List<ChatChoice> choices = new ArrayList<>(p.n());
        int completionTokens = 0, longest = 0;
        for (int s = 0; s < p.n(); s++) {
            Generated g = model.generate(scene, p.conversation(), p.temperature(), p.seed(), s, p.maxTokens(), p.stop(), k);
            completionTokens += g.completionTokens();
            longest = Math.max(longest, g.completionTokens());
            ChatLogprobs logprobs = p.logprobs() ? chatLogprobs(g, k) : null;
            choices.add(new ChatChoice(s, new ChatMessage("assistant", g.text()), logprobs, g.finishReason()));
        }
        ChatCompletion chat = new ChatCompletion("chatcmpl-" + id(body), "chat.completion", created, p.model(),
                choices, Usage.of(promptTokens, completionTokens));
        return new Prepared(chat, p.n(), promptTokens, longest);
    }

    private String id(String body) {
        return Long.toHexString(Draws.hash(seed, "id", body));
    }

    private static ChatLogprobs chatLogprobs(Generated g, int k) {
        List<ChatToken> content = new ArrayList<>(g.tokens().size());
        for (ScoredToken t : g.tokens()) {
            List<TopToken> top = new ArrayList<>(k);
            if (t.top() != null) {
                for (Alternative a : t.top()) {
                    if (top.size() == k) break;
                    top.add(new TopToken(a.token(), a.logprob(), bytes(a.token())));
                }
            }
            content.add(new ChatToken(t.token(), t.logprob(), bytes(t.token()), top));
        }
        return new ChatLogprobs(content);
    }

    private static List<Integer> bytes(String token) {
        byte[] raw = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>(raw.length);
        for (byte b : raw) out.add(b & 0xFF);
        return out;
    }
}
