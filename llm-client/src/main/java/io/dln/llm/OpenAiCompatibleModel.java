package io.dln.llm;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.ClassRenormalization;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * A {@link LanguageModel} over one OpenAI-compatible server (vLLM, OpenAI, llama.cpp, Ollama, llm-simulator).
 * <ul>
 *   <li>generation: {@code /v1/completions} with several prompts per call, or chat through LangChain4j with
 *       one call per sample (sample j of a request uses seed + j, so samples differ), its model llm-client's own or
 *       one a {@link ChatModelSource} gives (the LangChain4j Quarkus extension's, in the services);</li>
 *   <li>log-probabilities: echo through {@code /v1/completions}, target located by {@code text_offset};</li>
 *   <li>class distributions: first-token top-k through the {@link BackendConfig#generationApi()}.</li>
 * </ul>
 * Every HTTP call runs on a virtual thread under the backend's limits and retry policy. Results come back in
 * request order. Call {@link #probe()} once at start-up, then {@link #requireCapabilities(Capabilities)}.
 */
public final class OpenAiCompatibleModel implements LanguageModel, AutoCloseable {

    /** k asked for in top-k calls unless capabilityOverrides.maxTopLogprobs says otherwise (OpenAI and vLLM allow 20). */
    public static final int DEFAULT_TOP_K = 20;

    private final BackendConfig config;
    private final CallCounters counters = new CallCounters();
    private final HttpTransport transport;
    private final CompletionsOperations completions;
    private final ChatBackend chat;
    private final CapabilityProbe prober;
    private final CallGuard guard;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final boolean callsOnCallingThread;
    private volatile CapabilityReport report;
    /** Prompts one completions call carries: the configured maximum, or 1 once the probe found the server takes no list. */
    private volatile int promptsPerCall;
    private volatile String promptListReason;

    private OpenAiCompatibleModel(BackendConfig config, Function<String, String> environment,
                                  LlmCallListener listener, RetryPolicy retryPolicy, AttemptTiming timing,
                                  boolean callsOnCallingThread, OpenTelemetry telemetry, ChatModelSource chatModels) {
        this.config = config;
        // each call's thread continues the caller's trace, so its HTTP span is a child of the caller's span
        this.executor = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor());
        this.callsOnCallingThread = callsOnCallingThread;
        ApiKey apiKey = ApiKey.resolve(config, environment);
        // Python servers may write -Infinity for an impossible token's log-probability. Scoring answers are mostly
        // log-probabilities of 17 significant digits, which the JDK's parser reads on its slow path (a fifth of a
        // scorer's CPU in a profile); Jackson's fast parser gives the same doubles.
        ObjectMapper json = JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        this.json = json;
        this.transport = new HttpTransport(config, apiKey, json, new CallTracing(telemetry));
        CallGuard guard = new CallGuard(config, retryPolicy, timing, LlmCallListener.all(List.of(counters, listener)), apiKey);
        this.completions = new CompletionsOperations(config, new CompletionsClient(config, transport, json), guard,
                new ServerTokenizer(config, transport, guard, json));
        this.chat = chatModels == null ? new ChatBackend(config, apiKey, transport, guard)
                : new ChatBackend(config, apiKey, json, guard, chatModels);
        this.guard = guard;
        this.prober = new CapabilityProbe(config, completions, chat);
        this.report = CapabilityReport.presumed(config.kind(), configuredTopK());
        this.promptsPerCall = config.maxPromptsPerCall();
    }

    /** A model for {@code config}, reading its key from the process environment. Makes no network call. */
    public static OpenAiCompatibleModel create(BackendConfig config) {
        return builder(config).build();
    }

    public static Builder builder(BackendConfig config) {
        return new Builder(config);
    }

    /** Optional collaborators; the defaults are the process environment, no listener and {@link RetryPolicy#DEFAULT}. */
    public static final class Builder {
        private final BackendConfig config;
        private Function<String, String> environment = System::getenv;
        private LlmCallListener listener = LlmCallListener.NONE;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private AttemptTiming attemptTiming = AttemptTiming.DEFAULT;
        private boolean callsOnCallingThread;
        private OpenTelemetry telemetry = OpenTelemetry.noop();
        private ChatModelSource chatModels;

        private Builder(BackendConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where the variable named by {@code apiKeyEnv} is looked up (tests, secret stores). */
        public Builder environment(Function<String, String> lookup) {
            this.environment = Objects.requireNonNull(lookup);
            return this;
        }

        public Builder listener(LlmCallListener callListener) {
            this.listener = Objects.requireNonNull(callListener);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Attempt deadlines and hedging from observed latency; {@link AttemptTiming#DEFAULT} unless set. */
        public Builder attemptTiming(AttemptTiming timing) {
            this.attemptTiming = Objects.requireNonNull(timing);
            return this;
        }

        /**
         * Whether a virtual thread that asks for completions makes the last (often the only) HTTP call of its batch
         * itself, the others going to threads of their own; off, every call goes to a thread of its own. For
         * callers that wait for each answer at once, as a request handler does: it saves a thread hand-off per
         * call. Not for callers that start several batches before waiting for any: their batches would run one
         * after another.
         */
        public Builder callsOnCallingThread(boolean enabled) {
            this.callsOnCallingThread = enabled;
            return this;
        }

        /** Where each HTTP call's client span goes, a child of the caller's current span; none by default. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.telemetry = Objects.requireNonNull(openTelemetry);
            return this;
        }

        /**
         * Where chat calls get their LangChain4j model (the Quarkus services: the LangChain4j extension's); unset,
         * llm-client builds one over its own HTTP transport. Limits, retries, hedging and listeners apply either way.
         */
        public Builder chatModels(ChatModelSource source) {
            this.chatModels = Objects.requireNonNull(source);
            return this;
        }

        public OpenAiCompatibleModel build() {
            return new OpenAiCompatibleModel(config, environment, listener, retryPolicy, attemptTiming, callsOnCallingThread,
                    telemetry, chatModels);
        }
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return async(() -> config.generationApi() == GenerationApi.CHAT ? generateByChat(requests) : generateByCompletions(requests));
    }

    private CompletableFuture<List<Generation>> generateByCompletions(List<GenerationRequest> requests) {
        Map<CompletionsOperations.SamplingKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            groups.computeIfAbsent(CompletionsOperations.SamplingKey.of(requests.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> chunks = new ArrayList<>();
        groups.values().forEach(g -> chunks.addAll(Batches.chunks(g, promptsPerCall)));
        return Batches.scatter(requests, chunks,
                chunk -> completions.generate(CompletionsOperations.SamplingKey.of(chunk.getFirst()), chunk), executor,
                lastOnCaller());
    }

    private CompletableFuture<List<Generation>> generateByChat(List<GenerationRequest> requests) {
        List<CompletableFuture<Generation>> perRequest = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            List<CompletableFuture<ChatBackend.Sample>> samples = IntStream.range(0, r.n())
                    .mapToObj(j -> CompletableFuture.supplyAsync(
                            () -> chat.sample(r.prompt(), r.temperature(), r.maxTokens(), r.stop(), chatSeed(r, j)), executor))
                    .toList();
            perRequest.add(Batches.inOrder(samples).thenApply(ss -> new Generation(
                    ss.stream().map(ChatBackend.Sample::text).toList(),
                    CompletionsOperations.total(ss.stream().map(ChatBackend.Sample::usage)))));
        }
        return Batches.inOrder(perRequest);
    }

    /**
     * One sample of {@code request} streamed from the backend's {@link BackendConfig#generationApi()} as the server
     * writes it ({@code stream: true}). Returns once the server has answered with its headers: the connection phase
     * runs under the backend's limits and retry policy like any call; reading is not retried. The request must ask for
     * one sample and favour no texts (a logit bias needs the server's tokenizer first; generate those instead).
     */
    public TokenStream stream(GenerationRequest request) {
        if (request.n() != 1) throw new IllegalArgumentException("a streamed generation has one sample, not " + request.n());
        if (!request.favoured().isEmpty()) throw new IllegalArgumentException("a streamed generation favours no texts");
        boolean byChat = config.generationApi() == GenerationApi.CHAT;
        var uri = config.endpoint(byChat ? "chat/completions" : "completions");
        var body = json.createObjectNode().put("model", config.model()).put("max_tokens", request.maxTokens())
                .put("temperature", request.temperature()).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (byChat) {
            body.putArray("messages").addObject().put("role", "user").put("content", request.prompt());
            Integer seed = chatSeed(request, 0);
            if (seed != null) body.put("seed", seed);
        } else {
            body.put("prompt", request.prompt());
            if (request.temperature() != 0) body.put("seed", request.seed());
        }
        if (!request.stop().isEmpty()) request.stop().forEach(body.putArray("stop")::add);
        String text = body.toString();
        long promptTokens = Batches.estimateTokens(request.prompt());
        var in = guard.connect(LlmOperation.GENERATE, promptTokens + request.maxTokens(),
                () -> transport.postStream(uri, text, LlmOperation.GENERATE));
        return new TokenStream(config.name(), uri, transport, in, byChat, json, promptTokens, config.timeout());
    }

    /** Chat takes one sample per call, so sample j gets seed + j; chat seeds are 32-bit. */
    private static Integer chatSeed(GenerationRequest r, int sample) {
        if (r.temperature() == 0) return null;
        long seed = r.seed() + sample;
        return seed == (int) seed ? (int) seed : Long.hashCode(seed);
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return async(() -> {
            if (!config.kind().hasCompletions()) {
                throw new MissingCapabilityException(config.name(), echoMissing(CapabilityReport.NO_COMPLETIONS));
            }
            List<Integer> all = IntStream.range(0, requests.size()).boxed().toList();
            return Batches.scatter(requests, Batches.chunks(all, promptsPerCall),
                    chunk -> completions.logProbability(chunk, LlmOperation.LOG_PROBABILITY), executor, lastOnCaller());
        });
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return async(() -> {
            int k = topK();
            List<Integer> all = IntStream.range(0, requests.size()).boxed().toList();
            CompletableFuture<List<FirstTokenTopK>> answers;
            if (config.generationApi() == GenerationApi.CHAT) {
                answers = Batches.inOrder(requests.stream()
                        .map(r -> CompletableFuture.supplyAsync(
                                () -> chat.firstTokenTopK(r.context(), k, LlmOperation.CLASS_DISTRIBUTION), executor))
                        .toList());
            } else {
                List<String> contexts = requests.stream().map(ClassDistributionRequest::context).toList();
                answers = Batches.scatter(contexts, Batches.chunks(all, promptsPerCall),
                        chunk -> completions.firstTokenTopK(chunk, k, LlmOperation.CLASS_DISTRIBUTION), executor,
                        lastOnCaller());
            }
            return answers.thenApply(list -> IntStream.range(0, requests.size()).mapToObj(i -> {
                ClassDistributionRequest r = requests.get(i);
                FirstTokenTopK top = list.get(i);
                return new ClassDistribution(
                        ClassRenormalization.fromTopLogprobs(top.logprobs(), r.classes(), r.aggregation()), top.usage());
            }).toList());
        });
    }

    /** What this backend offers: the probe's findings (or, before it, the kind's presumption) overridden by config. */
    @Override
    public Capabilities capabilities() {
        return config.capabilityOverrides().applyTo(report.found());
    }

    /**
     * Probes the server with a tiny echo call and a tiny top-k call and remembers what it found.
     *
     * @return the capabilities after config overrides
     * @throws LlmBackendException when the server cannot be reached at all
     */
    public Capabilities probe() {
        Integer declared = config.capabilityOverrides().maxTopLogprobs();
        report = prober.run(declared != null && declared > 0 ? declared : CapabilityProbe.TOP_K_CEILING);
        if (config.maxPromptsPerCall() > 1) {
            promptListReason = prober.probePromptList();
            promptsPerCall = promptListReason == null ? config.maxPromptsPerCall() : 1;
        }
        return capabilities();
    }

    /**
     * One cheap authenticated request ({@code GET /models}, which OpenAI, vLLM, llama.cpp and Ollama serve), no retry,
     * for periodic health checks: it finds a key that has been revoked or a server that went away while no calls ran.
     *
     * @throws LlmBackendException when the server does not answer 2xx within the timeout (at most 10 s)
     */
    public void ping() {
        Duration limit = config.timeout().compareTo(PING_TIMEOUT) < 0 ? config.timeout() : PING_TIMEOUT;
        new AttemptContext(limit).run(() -> transport.get(config.endpoint("models"), LlmOperation.PROBE));
    }

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the capabilities mean for training, one sentence each: why echo or top-k is missing, and how the top-k
     * size bounds class scores (see {@link CapabilityReport#classScoringNote}).
     */
    public List<String> capabilityNotes() {
        List<String> notes = new ArrayList<>();
        if (promptListReason != null) notes.add("one prompt per call: " + promptListReason);
        Capabilities have = capabilities();
        if (!have.echoLogprobs() && report.echoReason() != null) notes.add("echo log-probabilities: " + report.echoReason());
        if (!have.topLogprobs() && report.topLogprobsReason() != null) notes.add("top-k log-probabilities: " + report.topLogprobsReason());
        if (have.topLogprobs()) {
            notes.add(CapabilityReport.classScoringNote(topK()));
        } else if (have.logitBias()) {
            notes.add("class answers: with no top-k, the forward pass is biased to the classes' first tokens (logit_bias 100,"
                    + " token ids from the server's /tokenize), as the reference does");
        } else if (report.logitBiasReason() != null) {
            notes.add("logit bias: " + report.logitBiasReason() + "; class answers are generated freely");
        }
        return notes;
    }

    /**
     * Fails, naming every missing capability with its reason and a way out, unless this backend offers all
     * that {@code needs} asks for ({@code needs.maxTopLogprobs()} being the least k required, 0 for any).
     */
    public void requireCapabilities(Capabilities needs) {
        Capabilities have = capabilities();
        CapabilityOverrides overrides = config.capabilityOverrides();
        List<String> missing = new ArrayList<>();
        if (needs.generation() && !have.generation()) {
            missing.add("backend '" + config.name() + "' cannot generate text: capabilityOverrides disables generation");
        }
        if (needs.echoLogprobs() && !have.echoLogprobs()) {
            missing.add(echoMissing(Boolean.FALSE.equals(overrides.echoLogprobs()) ? "capabilityOverrides disables it" : report.echoReason()));
        }
        if (needs.topLogprobs() && !have.topLogprobs()) {
            String reason = Boolean.FALSE.equals(overrides.topLogprobs()) ? "capabilityOverrides disables it" : report.topLogprobsReason();
            missing.add("backend '" + config.name() + "' cannot give first-token top-k log-probabilities: " + reason
                    + "; set output scoring to accuracy or use a server that returns top log-probabilities (vLLM, OpenAI chat, llama.cpp)");
        } else if (needs.topLogprobs() && needs.maxTopLogprobs() > have.maxTopLogprobs()) {
            missing.add("backend '" + config.name() + "' gives at most " + have.maxTopLogprobs() + " top log-probabilities but "
                    + needs.maxTopLogprobs() + " are needed; lower the top-k setting or raise the server's limit (vLLM --max-logprobs)");
        }
        if (!missing.isEmpty()) throw new MissingCapabilityException(config.name(), String.join("\n", missing));
    }

    private String echoMissing(String reason) {
        return "backend '" + config.name() + "' cannot score log-probabilities by echo: " + reason
                + "; set output scoring to accuracy or use a server that supports echo (vLLM)";
    }

    /** The k asked for in top-k calls: the probed or declared maximum, else {@link #DEFAULT_TOP_K}. */
    int topK() {
        int max = capabilities().maxTopLogprobs();
        return max > 0 ? max : configuredTopK();
    }

    private int configuredTopK() {
        Integer declared = config.capabilityOverrides().maxTopLogprobs();
        return declared != null && declared > 0 ? declared : DEFAULT_TOP_K;
    }

    /**
     * Prompts sent together in one completions call: {@link BackendConfig#maxPromptsPerCall()}, or 1 when the probe
     * found that the server does not answer a list of prompts.
     */
    public int promptsPerCall() {
        return promptsPerCall;
    }

    /** Totals of calls, retries, failures and tokens per operation since creation. */
    public CallCounters counters() {
        return counters;
    }

    public BackendConfig config() {
        return config;
    }

    /** Only a virtual thread may wait for a backend itself: a platform caller may be an event loop. */
    private boolean lastOnCaller() {
        return callsOnCallingThread && Thread.currentThread().isVirtual();
    }

    /** A failure while splitting a batch into calls fails the returned future rather than throwing at the caller. */
    private static <T> CompletableFuture<T> async(Supplier<CompletableFuture<T>> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops accepting work and aborts calls in flight. */
    @Override
    public void close() {
        executor.shutdownNow();
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModel[backend=" + config.name() + ", kind=" + config.kind() + ", model=" + config.model()
                + ", baseUrl=" + config.baseUrl() + "]";
    }
}
