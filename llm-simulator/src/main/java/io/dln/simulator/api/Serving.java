package io.dln.simulator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.simulator.config.SimulatorConfig;
import io.dln.simulator.faults.Fault;
import io.dln.simulator.faults.FaultInjector;
import io.dln.simulator.latency.CapacityGate;
import io.dln.simulator.latency.Pacer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The path every generation request takes after validation: fault injection, the model's work,
 * then the latency and capacity model, then the response (whole, or cut short on purpose).
 */
@ApplicationScoped
public class Serving {

    /** Request bodies longer than this are answered off the event loop. */
    static final int HEAVY_BODY = 128 * 1024;
    private static final Executor HEAVY_WORK = Executors.newVirtualThreadPerTaskExecutor();

    private final ObjectMapper mapper;
    private final FaultInjector faults;
    private final Pacer pacer;
    private final RequestMetrics metrics;
    private final SimulatorConfig.Faults faultConfig;

    public Serving(ObjectMapper mapper, FaultInjector faults, Pacer pacer, RequestMetrics metrics, SimulatorConfig config) {
        this.mapper = mapper;
        this.faults = faults;
        this.pacer = pacer;
        this.metrics = metrics;
        this.faultConfig = config.faults();
    }

    /**
     * Serves a validated request: {@code ratesHeader} and {@code forceHeader} are the values of the
     * fault headers (null when absent), {@code work} computes the response body.
     */
    public Uni<Reply> serve(String endpoint, String body, String ratesHeader, String forceHeader, Supplier<Prepared> work) {
        Fault fault = faults.decide(body, ratesHeader, forceHeader);
        if (fault.immediate()) {
            metrics.count(endpoint, fault.outcome());
            return Uni.createFrom().item(injected(fault));
        }
        Uni<Prepared> computed = Uni.createFrom().item(work);
        if (body.length() > HEAVY_BODY) {
            // a big batch takes milliseconds of CPU: compute it on a virtual thread, not on the event loop
            computed = computed.runSubscriptionOn(HEAVY_WORK);
        }
        return computed.chain(prepared -> paced(prepared, fault))
                .map(json -> {
                    metrics.count(endpoint, fault.outcome());
                    String sent = fault == Fault.TRUNCATED ? json.substring(0, json.length() / 2) : json;
                    return Reply.ok(sent);
                })
                .onFailure(CapacityGate.QueueFull.class).recoverWithItem(() -> {
                    metrics.count(endpoint, "queue_full");
                    return error(new ApiException(503, "server_error",
                            "The simulator's queue is full; retry later.", null, "overloaded",
                            faults.retryAfterHeaders()));
                });
    }

    /**
     * Serves a validated {@code stream: true} request: an immediate fault is answered as {@link #serve} answers it;
     * otherwise the events go to {@code sink} as the latency model paces the tokens (a hang or slow fault delays the
     * first, a truncated stream stops half-way without [DONE]). The Uni completes when the stream has been written.
     */
    public Uni<Reply> serveStream(String endpoint, String body, String ratesHeader, String forceHeader,
                                  Supplier<Prepared> work, boolean withUsage, StreamSink sink) {
        Fault fault = faults.decide(body, ratesHeader, forceHeader);
        if (fault.immediate()) {
            metrics.count(endpoint, fault.outcome());
            return Uni.createFrom().item(injected(fault));
        }
        Uni<Prepared> computed = Uni.createFrom().item(work);
        if (body.length() > HEAVY_BODY) computed = computed.runSubscriptionOn(HEAVY_WORK);
        Duration before = switch (fault) {
            case HANG -> faultConfig.hangDelay();
            case SLOW -> faultConfig.slowDelay();
            default -> Duration.ZERO;
        };
        return computed.chain(prepared -> {
                    StreamEvents events = StreamEvents.of(prepared.body(), withUsage, mapper);
                    int last = fault == Fault.TRUNCATED ? Math.max(1, events.steps() / 2) : events.steps();
                    return pacer.delay(before)
                            .chain(() -> pacer.stream(prepared.sequences(), prepared.longestPrompt(), last,
                                    i -> sink.write(events.step(i))))
                            .map(v -> {
                                metrics.count(endpoint, fault.outcome());
                                if (fault == Fault.TRUNCATED) sink.abort();
                                else sink.end(events.tail());
                                return (Reply) null;
                            });
                })
                .onFailure(CapacityGate.QueueFull.class).recoverWithItem(() -> {
                    metrics.count(endpoint, "queue_full");
                    return error(new ApiException(503, "server_error",
                            "The simulator's queue is full; retry later.", null, "overloaded",
                            faults.retryAfterHeaders()));
                });
    }

    /** Where a streamed answer goes: events in order, then the tail or an abort. */
    public interface StreamSink {
        /** Writes the events of one step (the first also sends the headers); false when the client has left. */
        boolean write(java.util.List<String> events);

        void end(java.util.List<String> tail);

        /** Closes the connection without finishing the stream. */
        void abort();
    }

    /** The response body, once the latency model (and a hang or slow fault) lets it go. */
    private Uni<String> paced(Prepared prepared, Fault fault) {
        String json = json(prepared.body());
        Uni<Void> start = fault == Fault.HANG ? pacer.delay(faultConfig.hangDelay()) : Uni.createFrom().voidItem();
        return start
                .chain(() -> pacer.occupy(prepared.sequences(),
                        pacer.serviceTime(prepared.longestPrompt(), prepared.longestCompletion())))
                .chain(() -> fault == Fault.SLOW ? pacer.delay(faultConfig.slowDelay()) : Uni.createFrom().voidItem())
                .map(v -> json);
    }

    private Reply injected(Fault fault) {
        Map<String, String> retryAfter = faults.retryAfterHeaders();
        ApiException e = switch (fault) {
            case RATE_LIMITED -> new ApiException(429, "rate_limit_error",
                    "Rate limit reached (injected by the simulator); retry "
                            + (retryAfter.isEmpty() ? "later." : "after " + retryAfter.get("Retry-After") + " s."), null,
                    "rate_limit_exceeded", retryAfter);
            case UNAVAILABLE -> new ApiException(503, "server_error",
                    "The simulator is overloaded (injected fault); retry later.", null, "overloaded", retryAfter);
            default -> new ApiException(500, "server_error",
                    "The simulator had an internal error (injected fault).", null, null, null);
        };
        return error(e);
    }

    /** The OpenAI-shaped reply for a refusal. */
    public Reply error(ApiException e) {
        return new Reply(e.status(), e.headers(), json(e.body()));
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }
}
