package io.dln.llm;

/** What kind of server a backend is; decides which endpoints exist and what it is presumed to offer before probing. */
public enum BackendKind {
    /** Any server with both {@code /v1/completions} and {@code /v1/chat/completions} (llama.cpp, Ollama, ...). */
    OPENAI_COMPATIBLE,
    /** Chat only, e.g. OpenAI's hosted chat models: no completions endpoint, so no echo scoring. */
    OPENAI_CHAT,
    /** vLLM's OpenAI server: completions with echo and top-k log-probabilities, plus chat. */
    VLLM;

    public boolean hasCompletions() {
        return this != OPENAI_CHAT;
    }
}
