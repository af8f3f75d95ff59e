package io.dln.gateway.inference;

import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.UnknownBackendException;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.MeteredLanguageModel;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.core.model.DlnSettings;
import io.dln.core.score.Scorer;
import io.dln.core.template.Template;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.registry.ServedModel;
import io.dln.gateway.tenants.Ceilings;
import io.dln.gateway.tenants.DailyTokens;
import io.dln.llm.LlmBackendException;
import io.dln.llm.TokenStream;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The forward pass of a stored DLN, straight to its forward backend, with the stored templates: what
 * {@code DeepLanguageNetwork.predict} (with its PromptLayer and ResidualLayer) does, but on the templates the version
 * was trained with rather than today's built-in ones. Answers are the most likely class when the model answers by
 * classes, else generated at the trained temperature.
 */
@ApplicationScoped
public class Predictor {

    private static final Logger LOG = Logger.getLogger(Predictor.class);

    private final BackendRegistry backends;
    private final Ceilings ceilings;
    private final DailyTokens tokens;

    public Predictor(BackendRegistry backends, Ceilings ceilings, DailyTokens tokens) {
        this.backends = backends;
        this.ceilings = ceilings;
        this.tokens = tokens;
    }

    /**
     * Runs the model for the tenant: refused (403) when the operator does not let the tenant use its backend, (429)
     * when the tenant has used its tokens of the day.
     */
    public Prediction predict(String tenant, ServedModel m, List<String> inputs, boolean withHidden, boolean withProbabilities) {
        ceilings.checkBackend(tenant, "model", m.forwardBackend());
        tokens.checkAvailable(tenant);
        Prediction prediction = predict(m, inputs, withHidden, withProbabilities);
        tokens.used(tenant, prediction.usage().total());
        return prediction;
    }

    private Prediction predict(ServedModel m, List<String> inputs, boolean withHidden, boolean withProbabilities) {
        MeteredLanguageModel model = new MeteredLanguageModel(backend(m.forwardBackend()));
        DlnSettings s = m.settings();
        OutputClasses classes = m.classes();
        boolean topK = model.capabilities().topLogprobs();
        if (withProbabilities && classes == null) {
            throw ApiException.invalidField("returnClassProbabilities", "model " + m.name() + " has no output classes");
        }
        if (withProbabilities && !topK) {
            throw ApiException.invalidField("returnClassProbabilities", "backend '" + m.forwardBackend()
                    + "' cannot give first-token log-probabilities, so there are no class probabilities");
        }
        try {
            Template forward = m.templates().get("forward");
            HiddenLayer layer = hiddenLayer(model, m, inputs);
            List<String> hidden = layer.hidden();
            List<String> contexts = contexts(forward, m.p2(), layer.outputInputs());
            boolean byClasses = classes != null && s.forwardUseClasses() && topK;
            List<ClassDistribution> distributions = byClasses || withProbabilities
                    ? new Scorer(model).classDistributions(contexts, classes, VerbalizerAggregation.SUM)
                    : null;
            List<String> outputs = byClasses
                    ? distributions.stream().map(d -> classes.prototype(d.argmax())).toList()
                    : generate(model, forward, contexts, s.forwardTemperature(), s.p2MaxTokens(), favoured(model, classes, s));
            return new Prediction(outputs, withHidden ? hidden : null,
                    withProbabilities ? probabilities(distributions, classes) : null, model.usage());
        } catch (CompletionException e) {
            throw backendFailure(m.forwardBackend(), e);
        }
    }

    /**
     * The answer to one input streamed as the output layer generates it, for {@code stream: true}: the hidden layer
     * runs first, whole; the output layer's generation is then read from the backend piece by piece. Refusals and a
     * backend failure before the first piece are thrown as {@link #predict} throws them.
     */
    public AnswerStream stream(String tenant, ServedModel m, String input) {
        ceilings.checkBackend(tenant, "model", m.forwardBackend());
        tokens.checkAvailable(tenant);
        MeteredLanguageModel model = new MeteredLanguageModel(backend(m.forwardBackend()));
        DlnSettings s = m.settings();
        boolean byClasses = m.classes() != null && s.forwardUseClasses() && model.capabilities().topLogprobs();
        if (byClasses || !favoured(model, m.classes(), s).isEmpty()) {
            // Nothing to stream: a class answer is the most likely class of one first-token distribution, known whole
            // at once; a generation pushed towards the classes needs their token ids from the server, as predict does.
            Prediction p = predict(tenant, m, List.of(input), false, false);
            return AnswerStream.whole(p.outputs().getFirst(), p.usage());
        }
        try {
            Template forward = m.templates().get("forward");
            String context = contexts(forward, m.p2(), hiddenLayer(model, m, List.of(input)).outputInputs()).getFirst();
            // seed 0 as in predict: the same answer, streamed or not, at temperature 0
            TokenStream stream = backends.client(m.forwardBackend()).stream(new GenerationRequest(context, 1,
                    s.forwardTemperature(), s.p2MaxTokens(), forward.stop(), 0, List.of()));
            return AnswerStream.of(stream, model.usage(), m.forwardBackend(), used -> tokens.used(tenant, used.total()));
        } catch (CompletionException | LlmBackendException e) {
            throw backendFailure(m.forwardBackend(), e);
        }
    }

    /** The hidden texts (null for one layer) and what the output layer reads: the input, or it with the hidden text. */
    private record HiddenLayer(List<String> hidden, List<String> outputInputs) {
    }

    private static HiddenLayer hiddenLayer(LanguageModel model, ServedModel m, List<String> inputs) {
        if (m.layers() != 2) return new HiddenLayer(null, inputs);
        DlnSettings s = m.settings();
        Template hiddenTemplate = m.templates().get("hidden");
        List<String> hiddenInputs = s.stripOptionsForHidden() ? inputs.stream().map(Predictor::stripOptions).toList() : inputs;
        List<String> hidden = generate(model, hiddenTemplate, contexts(hiddenTemplate, m.p1(), hiddenInputs), s.forwardTemperature(),
                s.p1MaxTokens(), List.of());
        Template residual = m.templates().get("residual");
        List<String> joined = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            joined.add(residual.render(Map.of("input", inputs.get(i), "output", hidden.get(i))));
        }
        return new HiddenLayer(hidden, joined);
    }

    private LanguageModel backend(String name) {
        try {
            return backends.model(name);
        } catch (UnknownBackendException e) {
            throw new ApiException(502, "backend_not_configured", "the model's backend '" + name + "' is not configured on this gateway");
        }
    }

    /** What a layer sends for each input: its template filled with the prompt and the input. */
    private static List<String> contexts(Template template, String prompt, List<String> inputs) {
        List<String> contexts = new ArrayList<>(inputs.size());
        for (String input : inputs) contexts.add(template.render(Map.of("prompt", prompt, "input", input)));
        return contexts;
    }

    /**
     * As in training (DeepLanguageNetwork): a model with classes on a server without top-k log-probabilities answers
     * by generation pushed towards the classes' verbalizers, where the server takes a logit bias.
     */
    private static List<String> favoured(LanguageModel model, OutputClasses classes, DlnSettings s) {
        boolean bias = classes != null && s.forwardUseClasses() && model.capabilities().logitBias();
        return bias ? classes.allSurfaceForms().stream().distinct().toList() : List.of();
    }

    /** Generation as PromptLayer does it for a forward pass (seed 0): blank lines collapsed, trimmed. */
    private static List<String> generate(LanguageModel model, Template template, List<String> contexts, double temperature,
                                         int maxTokens, List<String> favoured) {
        List<GenerationRequest> requests = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            requests.add(new GenerationRequest(contexts.get(i), 1, temperature, maxTokens, template.stop(), temperature == 0 ? 0 : i,
                    favoured));
        }
        return model.generate(requests).join().stream().map(g -> clean(g.first())).toList();
    }

    static String clean(String text) {
        String cleaned = text;
        while (cleaned.contains("\n\n")) cleaned = cleaned.replace("\n\n", "\n");
        return cleaned.strip();
    }

    private static List<Map<String, Double>> probabilities(List<ClassDistribution> distributions, OutputClasses classes) {
        return distributions.stream().map(d -> {
            Map<String, Double> byClass = new LinkedHashMap<>();
            for (int i = 0; i < classes.size(); i++) byClass.put(classes.prototype(i), d.probability(i));
            return byClass;
        }).toList();
    }

    /**
     * The failure as API clients see it: a stable message by kind, with the backend's configured name and its HTTP
     * status, never its own error text or address (logged here instead; the client has scrubbed the key from it).
     */
    static ApiException backendFailure(String backend, Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        LOG.warnf("inference on backend '%s' failed: %s", backend, cause.getMessage());
        String name = "backend '" + backend + "'";
        if (!(cause instanceof LlmBackendException failure)) {
            return new ApiException(502, "backend_error", name + " failed; the gateway's log has the details");
        }
        return switch (failure.failure()) {
            case HTTP_STATUS -> switch (failure.status()) {
                case 401, 403 -> new ApiException(502, "backend_error", name + " refused the gateway's credentials (HTTP "
                        + failure.status() + "); the operator must check the backend's key");
                case 429 -> new ApiException(503, "backend_busy", name + " is overloaded (HTTP 429); retry later", null,
                        Map.of("Retry-After", String.valueOf(failure.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(5L))));
                default -> new ApiException(502, "backend_error", name + " failed (HTTP " + failure.status() + ")");
            };
            case TIMEOUT -> new ApiException(504, "backend_timeout", name + " did not answer in time");
            case CONNECTION -> new ApiException(502, "backend_unreachable", name + " could not be reached");
            case BAD_RESPONSE -> new ApiException(502, "backend_error", name + " gave an answer the gateway cannot use");
        };
    }

    static String stripOptions(String input) {
        int at = input.indexOf("Options:");
        return at < 0 ? input : input.substring(0, at).strip();
    }
}
