package io.dln.llm;

/** Which endpoint serves generation and first-token top-k calls. Echo scoring always uses completions. */
public enum GenerationApi {
    COMPLETIONS,
    CHAT
}
