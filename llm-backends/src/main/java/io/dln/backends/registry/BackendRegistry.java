package io.dln.backends.registry;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.dln.backends.chat.ExtensionChatModels;
import io.dln.backends.config.BackendConfigs;
import io.dln.backends.config.BackendsConfig;
import io.dln.backends.health.CallHealth;
import io.dln.backends.health.HealthTracking;
import io.dln.backends.metrics.InflightTracking;
import io.dln.backends.metrics.MicrometerCallListener;
import io.dln.core.lm.Capabilities;
import io.dln.core.lm.LanguageModel;
import io.dln.llm.BackendConfig;
import io.dln.llm.LlmCallListener;
import io.dln.llm.OpenAiCompatibleModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link OpenAiCompatibleModel} per configured backend, metered and probed; its chat calls go through the
 * LangChain4j Quarkus extension's model ({@link ExtensionChatModels}). Probes run in the background:
 * a backend that cannot be reached at start-up is not fatal; its probe is retried when the backend is next used
 * or its health is asked, at most once per {@link #PROBE_RETRY_INTERVAL}.
 */
@ApplicationScoped
public class BackendRegistry {

    static final Duration PROBE_RETRY_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(BackendRegistry.class);

    private final Map<String, Entry> backends;
    private final Clock clock;
    private final HealthTracking health;

    /**
     * Backend calls are traced where the service has OpenTelemetry (quarkus-opentelemetry), untraced elsewhere; chat
     * models come from the LangChain4j extension with every {@link ChatModelListener} bean (its metrics and spans among them).
     */
    @Inject
    public BackendRegistry(BackendsConfig config, MeterRegistry meters, Instance<OpenTelemetry> telemetry,
                           @Any Instance<ChatModelListener> chatListeners) {
        this(config, meters, Clock.systemUTC(), telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop(),
                chatListeners.stream().toList());
    }

    public BackendRegistry(BackendsConfig config, MeterRegistry meters) {
        this(config, meters, Clock.systemUTC(), OpenTelemetry.noop(), List.of());
    }

    BackendRegistry(BackendsConfig config, MeterRegistry meters, Clock clock) {
        this(config, meters, clock, OpenTelemetry.noop(), List.of());
    }

    private BackendRegistry(BackendsConfig config, MeterRegistry meters, Clock clock, OpenTelemetry telemetry,
                            List<ChatModelListener> chatListeners) {
        this.clock = clock;
        BackendsConfig.Health h = config.health();
        this.health = new HealthTracking(new CallHealth.Policy(h.window(), h.maxAge(), h.minOutcomes(), h.degradedRatio(),
                h.downRatio(), h.recoverySuccesses()), clock);
        var listener = LlmCallListener.all(List.of(new MicrometerCallListener(meters), health));
        var chatModels = new ExtensionChatModels(chatListeners, name -> config.backends().get(name).logRequests());
        Map<String, Entry> built = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        config.backends().forEach((name, settings) -> {
            if (settings.maxConcurrentSequences() < 1) {
                problems.add("dln.backends." + name + ".max-concurrent-sequences must be at least 1, was " + settings.maxConcurrentSequences());
                return;
            }
            try {
                BackendConfig clientConfig = BackendConfigs.toClientConfig(name, settings);
                OpenAiCompatibleModel client = OpenAiCompatibleModel.builder(clientConfig).listener(listener)
                        .attemptTiming(BackendConfigs.attemptTiming(settings))
                        .callsOnCallingThread(config.calls().onCallingThread()).openTelemetry(telemetry)
                        .chatModels(chatModels).build();
                built.put(name, new Entry(client, new InflightTracking(name, client, meters), settings.probeAtStart(),
                        settings.maxConcurrentSequences()));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            built.values().forEach(e -> e.client.close());
            throw new IllegalStateException("invalid dln.backends configuration:\n  " + String.join("\n  ", problems));
        }
        this.backends = Collections.unmodifiableMap(built);
    }

    void onStart(@Observes StartupEvent event) {
        if (backends.isEmpty()) LOG.warn("no LLM backends configured (dln.backends.<name>.base-url / .model)");
        backends.values().forEach(e -> {
            LOG.infof("backend %s", e.client);
            if (e.probeAtStart) probeInBackground(e);
        });
    }

    /** The backend called {@code name}, ready for calls. */
    public LanguageModel model(String name) {
        Entry e = entry(name);
        retryFailedProbe(e);
        return e.model;
    }

    /** The client of backend {@code name}, for what only it offers: a generation streamed as the server writes it. */
    public OpenAiCompatibleModel client(String name) {
        Entry e = entry(name);
        retryFailedProbe(e);
        return e.client;
    }

    public boolean contains(String name) {
        return name != null && backends.containsKey(name);
    }

    public Set<String> names() {
        return backends.keySet();
    }

    public BackendConfig config(String name) {
        return entry(name).client.config();
    }

    /** Prompts one call to {@code name} carries: its configured maximum, or 1 if its probe found it takes no list. */
    public int promptsPerCall(String name) {
        return entry(name).client.promptsPerCall();
    }

    /** Sequences backend {@code name} runs at once for this process ({@code max-concurrent-sequences}). */
    public int concurrentSequences(String name) {
        return entry(name).sequences;
    }

    /** What is known about each backend; also re-probes failed ones whose last probe is old enough. */
    public Map<String, ProbeStatus> status() {
        Map<String, ProbeStatus> all = new TreeMap<>();
        backends.forEach((name, e) -> {
            retryFailedProbe(e);
            all.put(name, e.status);
        });
        return all;
    }

    /** What recent calls and pings say about each backend. */
    public Map<String, CallHealth.Snapshot> callHealth() {
        Map<String, CallHealth.Snapshot> all = new TreeMap<>();
        backends.keySet().forEach(name -> all.put(name, health.of(name).snapshot(clock.instant())));
        return all;
    }

    /** Pings every backend once, each on a thread of its own, and waits for them; outcomes go to {@link #callHealth()}. */
    public void pingAll() {
        List<Thread> pings = new ArrayList<>();
        backends.forEach((name, e) -> pings.add(Thread.ofVirtual().name("ping-" + name).start(() -> ping(name, e))));
        for (Thread t : pings) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void ping(String name, Entry e) {
        try {
            e.client.ping();
            health.of(name).succeeded(clock.instant());
        } catch (io.dln.llm.LlmBackendException ex) {
            health.of(name).failed(ex.getMessage(), clock.instant());
        } catch (RuntimeException ex) {
            health.of(name).failed(ex.toString(), clock.instant());
        }
    }

    /** Probes {@code name} now, on the calling thread. */
    public ProbeStatus probe(String name) {
        Entry e = entry(name);
        probeNow(e);
        return e.status;
    }

    private Entry entry(String name) {
        Entry e = name == null ? null : backends.get(name);
        if (e == null) throw new UnknownBackendException(name, backends.keySet());
        return e;
    }

    private void retryFailedProbe(Entry e) {
        ProbeStatus s = e.status;
        if (s.state() == ProbeStatus.State.FAILED && s.at().plus(PROBE_RETRY_INTERVAL).isBefore(clock.instant())) {
            probeInBackground(e);
        }
    }

    private void probeInBackground(Entry e) {
        Thread.ofVirtual().name("probe-" + e.client.config().name()).start(() -> probeNow(e));
    }

    private void probeNow(Entry e) {
        if (!e.probing.compareAndSet(false, true)) return;
        BackendConfig c = e.client.config();
        e.status = e.status.probing();
        try {
            Capabilities found = e.client.probe();
            e.status = ProbeStatus.ok(found, clock.instant());
            LOG.infof("backend '%s' answers at %s: generation=%s, echo log-probabilities=%s, top-k log-probabilities=%s (k <= %d)",
                    c.name(), c.baseUrl(), found.generation(), found.echoLogprobs(), found.topLogprobs(), found.maxTopLogprobs());
        } catch (RuntimeException ex) {
            e.status = ProbeStatus.failed(ex.getMessage(), clock.instant());
            LOG.warnf("backend '%s' could not be probed at %s: %s. Check that the server runs and that "
                            + "dln.backends.%s.base-url is its API root (e.g. http://host:8000/v1). Calls are still tried and the "
                            + "probe is retried on use; to skip it, set dln.backends.%s.probe-at-start=false and declare "
                            + "dln.backends.%s.capabilities.*",
                    c.name(), c.baseUrl(), ex.getMessage(), c.name(), c.name(), c.name());
        } finally {
            e.probing.set(false);
        }
    }

    @PreDestroy
    void close() {
        backends.values().forEach(e -> e.client.close());
    }

    private static final class Entry {
        final OpenAiCompatibleModel client;
        final LanguageModel model;
        final boolean probeAtStart;
        final int sequences;
        final AtomicBoolean probing = new AtomicBoolean();
        volatile ProbeStatus status = ProbeStatus.notProbed();

        Entry(OpenAiCompatibleModel client, LanguageModel model, boolean probeAtStart, int sequences) {
            this.client = client;
            this.model = model;
            this.probeAtStart = probeAtStart;
            this.sequences = sequences;
        }
    }
}
